package dev.hearth.core;

import java.util.List;

/** The seeded groups (spec 1.14), by uid. Signup puts users in {@link #USER} and guests in {@link #TEMP}. */
public final class DefaultGroups {

    public static final String SYSTEM = "26bfb1fb-421f-45bc-9aa4-d81ea569e7a5";
    public static final String ADMIN = "ca342a5e-b13d-4dee-9048-58b11a57cc55";
    public static final String USER = "78b1b1dd-c959-44d2-b02c-8735671f9997";
    public static final String MODERATOR = "3c2dfff7-d22a-41aa-a193-59a61dac4b64";
    public static final String DEVELOPER = "5e8f251d-3382-4b0d-932c-7bb82f48652f";
    public static final String TEMP = "b7220104-7905-4985-b996-649fdcdb3c8f";

    /** The public groups of {@code /group/list} and {@code /group/public-groups}. */
    public static final List<String> PUBLIC = List.of(USER, TEMP);

    private DefaultGroups() {}
}

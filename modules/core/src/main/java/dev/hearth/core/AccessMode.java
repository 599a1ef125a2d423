package dev.hearth.core;

import java.util.Locale;

/** A filesystem access mode (spec 3.11); each implies the ones before it: manage ⊃ write ⊃ read ⊃ list ⊃ see. */
public enum AccessMode {
    SEE, LIST, READ, WRITE, MANAGE;

    /** {@code fs:<uid>:<mode>}, or {@code manage:fs:<uid>} for {@link #MANAGE}. */
    public String permission(String nodeUid) {
        String uid = Permission.escape(nodeUid);
        return this == MANAGE ? "manage:fs:" + uid : "fs:" + uid + ":" + label();
    }

    /** {@code see}, {@code list}, {@code read}, {@code write}, {@code manage}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.hearth.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What a signup asks for (spec 1.3). A username left out is generated; a guest ({@code temp}) has no email and no
 * password, whatever was given.
 *
 * @param requiresEmailConfirmation set by signup listeners that want confirmation
 * @param origin facts about the request, kept with the account
 */
public record NewUser(Optional<String> username, Optional<String> email, Optional<String> password, boolean temp,
        boolean requiresEmailConfirmation, SignupOrigin origin) {

    /** Where a signup came from. */
    public record SignupOrigin(Optional<String> ip, Optional<String> ipForwarded, Optional<String> userAgent,
            Optional<String> origin, Optional<String> referrer) {

        public static final SignupOrigin UNKNOWN = new SignupOrigin(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public NewUser {
        Objects.requireNonNull(username);
        Objects.requireNonNull(email);
        Objects.requireNonNull(password);
        Objects.requireNonNull(origin);
    }

    /** A real account. */
    public static NewUser account(String username, String email, String password) {
        return new NewUser(Optional.ofNullable(username), Optional.ofNullable(email), Optional.ofNullable(password),
                false, false, SignupOrigin.UNKNOWN);
    }

    /** A guest with a generated username. */
    public static NewUser guest() {
        return new NewUser(Optional.empty(), Optional.empty(), Optional.empty(), true, false, SignupOrigin.UNKNOWN);
    }

    public NewUser withOrigin(SignupOrigin origin) {
        return new NewUser(username, email, password, temp, requiresEmailConfirmation, origin);
    }
}

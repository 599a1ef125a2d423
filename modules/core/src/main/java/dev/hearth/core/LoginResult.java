package dev.hearth.core;

/**
 * The outcome of checking a username or email and a password (spec 1.6.1 steps 10 to 14). A success may still need
 * the second factor: see {@link User#otpEnabled()}.
 */
public sealed interface LoginResult {

    /** The password matched an active account. */
    record Success(User user) implements LoginResult {}

    /**
     * The login failed; the throttle records it. The message is the spec's text, which the GUI shows.
     *
     * @param status 400, or 401 for a suspended account
     */
    record Failure(Reason reason, int status, String message) implements LoginResult {}

    enum Reason { UNKNOWN_USERNAME, UNKNOWN_EMAIL, SUSPENDED, NO_PASSWORD, WRONG_PASSWORD }
}

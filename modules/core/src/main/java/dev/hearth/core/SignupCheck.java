package dev.hearth.core;

import java.util.Optional;

/**
 * The {@value #KEY} hook event (spec 1.3.2 step 7): emitted before a sign-up is processed, so that extensions (abuse
 * checks, invitations) may refuse it or ask for email confirmation. Listeners change it; the endpoint reads it back
 * after every listener has run. It carries no password.
 */
public final class SignupCheck {

    public static final String KEY = "puter.signup";

    private final String ip;
    private final Optional<String> userAgent;
    private final boolean temp;
    private volatile boolean allow = true;
    private volatile String error;
    private volatile boolean noTempUser;
    private volatile boolean requiresEmailConfirmation;

    SignupCheck(String ip, Optional<String> userAgent, boolean temp) {
        this.ip = ip;
        this.userAgent = userAgent;
        this.temp = temp;
    }

    public String ip() {
        return ip;
    }

    public Optional<String> userAgent() {
        return userAgent;
    }

    public boolean temp() {
        return temp;
    }

    /** Refuses the sign-up; {@code message} (or a generic text) is what the client sees. */
    public void refuse(String message) {
        allow = false;
        error = message;
    }

    /** Guests may not sign up this time: {@code 403 must_login_or_signup}. */
    public void refuseTemporaryUser() {
        noTempUser = true;
    }

    /** The new account must confirm its email. */
    public void requireEmailConfirmation() {
        requiresEmailConfirmation = true;
    }

    boolean allowed() {
        return allow;
    }

    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    boolean noTempUser() {
        return noTempUser;
    }

    boolean requiresEmailConfirmation() {
        return requiresEmailConfirmation;
    }
}

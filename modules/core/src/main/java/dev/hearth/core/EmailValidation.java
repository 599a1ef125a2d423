package dev.hearth.core;

/**
 * The {@value #KEY} hook event: listeners may refuse an email at signup (spec 1.3.4) by calling {@link #deny()}.
 */
public final class EmailValidation {

    public static final String KEY = "email.validate";

    private final String email;
    private volatile boolean allowed = true;

    EmailValidation(String email) {
        this.email = email;
    }

    /** The cleaned email. */
    public String email() {
        return email;
    }

    public void deny() {
        allowed = false;
    }

    public boolean allowed() {
        return allowed;
    }
}

package dev.hearth.core;

import java.util.Map;

/**
 * A message to send by email, raised as the application event {@value #EVENT} by any module (account flows,
 * sharing); the {@code email} service delivers it.
 *
 * @param to the address
 * @param template upstream's template name (for example {@code email_verification_code}, {@code share_by_email})
 * @param values what the template fills in (codes, links, names)
 */
public record EmailMessage(String to, String template, Map<String, Object> values) {

    /** The application event that carries an {@link EmailMessage}. */
    public static final String EVENT = "email.send";

    public EmailMessage {
        values = Map.copyOf(values);
    }
}

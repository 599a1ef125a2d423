package dev.hearth.core;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.email} section: an SMTP transport. Without a {@code host}, no mail is sent (see
 * {@link Email}).
 *
 * @param host the SMTP server; empty for none
 * @param port default 587 ({@code starttls}), 465 ({@code tls}) or 25 ({@code none})
 * @param security {@code starttls} (default: the connection must upgrade), {@code tls} (TLS from the start) or
 *                 {@code none} (plain text; only for a relay on the same machine)
 * @param username the SMTP login, if the server wants one
 * @param password its password
 * @param from the sender, e.g. {@code Hearth <no-reply@example.org>}; default {@code no-reply@<domain>}
 * @param timeoutSeconds how long connecting and each SMTP step may take (default 20)
 */
record EmailSettings(String host, int port, String security, String username, String password, String from,
        @JsonProperty("timeout_seconds") int timeoutSeconds) {

    EmailSettings {
        host = host == null ? "" : host.trim();
        security = security == null || security.isBlank() ? "starttls" : security.trim().toLowerCase(Locale.ROOT);
        if (!security.equals("starttls") && !security.equals("tls") && !security.equals("none")) {
            throw ConfigException.invalid("security", security, "starttls, tls or none");
        }
        if (port == 0) {
            port = switch (security) {
                case "tls" -> 465;
                case "none" -> 25;
                default -> 587;
            };
        }
        if (port < 1 || port > 65535) {
            throw ConfigException.invalid("port", port, "a port from 1 to 65535");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        from = from == null ? "" : from.trim();
        timeoutSeconds = timeoutSeconds == 0 ? 20 : timeoutSeconds;
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw ConfigException.invalid("timeout_seconds", timeoutSeconds, "1 to 600");
        }
    }

    Optional<String> smtpHost() {
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    @Override
    public String toString() {
        return "EmailSettings[host=" + host + ", port=" + port + ", security=" + security + ", username=" + username
                + ", password=" + (password.isEmpty() ? "" : "********") + ", from=" + from + "]";
    }
}

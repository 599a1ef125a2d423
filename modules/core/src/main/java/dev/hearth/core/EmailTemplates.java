package dev.hearth.core;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of the messages Hearth sends, by upstream's template names. Plain text: every value is shown as is,
 * and a template Hearth has no words for still delivers its values.
 */
final class EmailTemplates {

    record Rendered(String subject, String body) {}

    static final Map<String, String> SUBJECTS = Map.of(
            "email_verification_code", "Your confirmation code",
            "email_verification_link", "Confirm your email address",
            "email_password_recovery", "Reset your password",
            "password_change_notification", "Your password was changed",
            "email_change_request", "Confirm your new email address",
            "email_change_notification", "Your email address is being changed",
            "share_by_username", "Something was shared with you",
            "share_by_email", "Something was shared with you");

    private EmailTemplates() {}

    static Rendered render(EmailMessage mail) {
        Map<String, Object> v = mail.values();
        String body = switch (mail.template()) {
            case "email_verification_code" -> "Your confirmation code is " + v.get("code") + ".";
            case "email_verification_link" -> "Confirm your email address by opening this link:\n\n" + v.get("link");
            case "email_password_recovery" -> "To choose a new password, open this link:\n\n" + v.get("link")
                    + "\n\nIf you did not ask for this, ignore this message: your password stays as it is.";
            case "password_change_notification" -> "The password of your account was changed. If this was not you, "
                    + "recover your account now.";
            case "email_change_request" -> "Hello " + v.get("username") + ",\n\nconfirm this new email address by "
                    + "opening this link:\n\n" + v.get("confirm_url");
            case "email_change_notification" -> "Your account's email address is being changed to " + v.get("new_email")
                    + ". If this was not you, change your password now.";
            case "share_by_username", "share_by_email" -> v.get("username") + " shared something with you."
                    + (v.get("message") == null ? "" : "\n\n" + v.get("message")) + "\n\n" + v.get("link");
            default -> {
                StringBuilder b = new StringBuilder();
                new TreeMap<>(v).forEach((k, value) -> b.append(k).append(": ").append(value).append('\n'));
                yield b.toString().strip();
            }
        };
        String subject = SUBJECTS.getOrDefault(mail.template(),
                mail.template().replace('_', ' ').toLowerCase(Locale.ROOT));
        return new Rendered(subject, body + "\n");
    }
}

package dev.hearth.core;

import java.util.Properties;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The {@code email} service: delivers every {@link EmailMessage} (account flows, sharing) through the SMTP transport
 * of {@code services.email} ({@link EmailSettings}). Sending happens on a thread of its own, so that a slow mail
 * server never holds up the request that caused the message; a failure is logged with the recipient and template.
 *
 * <p>Without a configured host, each message is written to the log, clearly marked as not sent, so that an
 * operator can still pass a code or a link on by hand, and no mail leaves the machine.
 */
final class Email implements Service {

    private static final Logger log = LoggerFactory.getLogger("hearth.email");

    private final ServiceContext context;
    private final EmailSettings settings;
    private volatile Session session;
    private volatile String from;

    Email(ServiceContext context) {
        this.context = context;
        this.settings = context.settings(EmailSettings.class);
    }

    @Override
    public void init() {
        settings.smtpHost().ifPresent(host -> {
            session = Session.getInstance(properties(host), settings.username().isEmpty() ? null : new jakarta.mail.Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(settings.username(), settings.password());
                }
            });
            from = settings.from().isEmpty()
                    ? "no-reply@" + context.config().string("domain").orElse("localhost")
                    : settings.from();
        });
        context.events().on(EmailMessage.EVENT, (key, data, meta) -> {
            EmailMessage mail = (EmailMessage) data;
            if (session == null) {
                log.warn("EMAIL NOT SENT (no SMTP transport configured): to {} template {} values {}", mail.to(),
                        mail.template(), new TreeMap<>(mail.values()));
                return;
            }
            Thread.ofVirtual().name("email").start(() -> send(mail));
        });
    }

    private void send(EmailMessage mail) {
        try {
            EmailTemplates.Rendered text = EmailTemplates.render(mail);
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
            message.setSubject(text.subject(), "UTF-8");
            message.setText(text.body(), "UTF-8");
            Transport.send(message);
            log.info("email sent: to {} template {}", mail.to(), mail.template());
        } catch (MessagingException | RuntimeException e) {
            log.error("email NOT sent: to {} template {}: {}", mail.to(), mail.template(), e.toString());
        }
    }

    private Properties properties(String host) {
        Properties p = new Properties();
        String timeout = Long.toString(settings.timeoutSeconds() * 1000L);
        String protocol = settings.security().equals("tls") ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", host);
        p.put("mail." + protocol + ".port", Integer.toString(settings.port()));
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        p.put("mail." + protocol + ".auth", Boolean.toString(!settings.username().isEmpty()));
        if (settings.security().equals("starttls")) {
            // Required, not merely enabled: a server that does not offer it gets no credentials in clear text.
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!settings.security().equals("none")) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return p;
    }
}

package dev.hearth.core;

import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code email} service: delivers the {@code email.send} events of the accounts flows (confirmation codes,
 * recovery links, email changes). Until an SMTP transport is configured ({@code services.email}; not built yet),
 * it writes each message to the log, clearly marked as not sent, so that an operator can still pass a code or a
 * link on by hand, and nothing claims that an email went out.
 */
final class Email implements Service {

    private static final Logger log = LoggerFactory.getLogger("hearth.email");

    private final ServiceContext context;

    Email(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        context.events().on(EmailMessage.EVENT, (key, data, meta) -> {
            EmailMessage mail = (EmailMessage) data;
            log.warn("EMAIL NOT SENT (no SMTP transport configured): to {} template {} values {}", mail.to(),
                    mail.template(), new TreeMap<>(mail.values()));
        });
    }
}

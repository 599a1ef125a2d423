package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.kernel.Kernel;

/** With no SMTP transport, a message goes to the log, marked as not sent, with what the operator needs. */
class EmailTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutSmtpTheMessageIsLoggedAsNotSent() {
        Logger logger = (Logger) LoggerFactory.getLogger("hearth.email");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try (Kernel kernel = Kernel.builder(TestSecrets.config(dataDir)).externalModules(false)
                .module(new CoreModule()).build()) {
            kernel.boot();
            kernel.events().emit("email.send", new EmailMessage("zoe@example.com",
                    "email_verification_code", Map.of("code", "123456")));
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(seen.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .startsWith("EMAIL NOT SENT (no SMTP transport configured)")
                .contains("zoe@example.com").contains("email_verification_code").contains("123456"));
    }
}

package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.kernel.BootException;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import jakarta.mail.internet.MimeMessage;

/** Messages go out through a real SMTP server (GreenMail), or, with none configured, to the log marked as not sent. */
class EmailTest {

    @TempDir
    Path dataDir;

    GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private Kernel boot(Config config) {
        Kernel kernel = Kernel.builder(config).externalModules(false).module(new CoreModule()).build();
        kernel.boot();
        return kernel;
    }

    private Config viaSmtp() {
        return TestSecrets.config(dataDir)
                .with("services.email.host", "127.0.0.1")
                .with("services.email.port", smtp.getSmtp().getPort())
                .with("services.email.security", "none")
                .with("services.email.from", "Hearth <no-reply@hearth.test>");
    }

    @Test
    void withoutSmtpTheMessageIsLoggedAsNotSent() {
        Logger logger = (Logger) LoggerFactory.getLogger("hearth.email");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try (Kernel kernel = boot(TestSecrets.config(dataDir))) {
            kernel.events().emit(EmailMessage.EVENT, new EmailMessage("zoe@example.com", "email_verification_code",
                    Map.of("code", "123-456")));
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(seen.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .startsWith("EMAIL NOT SENT (no SMTP transport configured)")
                .contains("zoe@example.com").contains("email_verification_code").contains("123-456"));
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aConfirmationCodeGoesOutThroughSmtp() throws Exception {
        try (Kernel kernel = boot(viaSmtp())) {
            kernel.events().emit(EmailMessage.EVENT, new EmailMessage("zoe@example.com", "email_verification_code",
                    Map.of("code", "123-456")));
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        }
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Your confirmation code");
        assertThat(m.getFrom()[0].toString()).isEqualTo("Hearth <no-reply@hearth.test>");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("zoe@example.com");
        assertThat(GreenMailUtil.getBody(m)).contains("Your confirmation code is 123-456.");
    }

    @Test
    void theServerIsLoggedIntoWhenCredentialsAreConfigured() throws Exception {
        smtp.setUser("mailer@hearth.test", "mailer", "s3cret-pass");
        try (Kernel kernel = boot(viaSmtp().with("services.email.username", "mailer")
                .with("services.email.password", "s3cret-pass"))) {
            kernel.events().emit(EmailMessage.EVENT, new EmailMessage("bob@example.com", "share_by_email",
                    Map.of("username", "alice", "link", "http://127.0.0.1:4100/?share_token=t")));
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        }
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Something was shared with you");
        assertThat(GreenMailUtil.getBody(m)).contains("alice shared something with you.").contains("share_token=t");
    }

    @Test
    void aBadSecuritySettingFailsTheBootNamingTheKey() {
        assertThatThrownBy(() -> boot(viaSmtp().with("services.email.security", "maybe")))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("services.email.security").hasMessageContaining("starttls, tls or none");
    }
}

package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Kernel;

class SqliteAuthenticationTest extends AuthenticationContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }

    @Test
    void siteTokensAreUnsupportedWithoutAHostingModule(@TempDir Path dir) {
        try (Kernel bare = TestBackend.sqlite().boot(dir, java.util.List.of())) {
            String token = bare.services().get(Tokens.class).issueSite("site-1", Duration.ofHours(1));
            assertThatThrownBy(() -> bare.services().get(Authenticator.class).authenticate(token))
                    .isInstanceOfSatisfying(ApiError.class, e -> {
                        org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("token_unsupported");
                        org.assertj.core.api.Assertions.assertThat(e.getMessage())
                                .isEqualTo("This authentication token is not supported here.");
                    });
        }
    }
}

package dev.hearth.core;

import java.nio.file.Path;

import dev.hearth.kernel.Config;

/** The generated secrets a booted core needs (the kernel's config loader makes them; tests build configs by hand). */
final class TestSecrets {

    static final String JWT_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String FPE_KEY = "00112233445566778899aabbccddeeff";

    private TestSecrets() {}

    /** An empty configuration with the secrets and the cheapest bcrypt cost. */
    static Config config(Path dataDir) {
        return with(Config.empty(dataDir));
    }

    static Config with(Config config) {
        return config.with("jwt_secret", JWT_SECRET)
                .with("services.auth.uuid_fpe_key", FPE_KEY)
                .with("private_uid_secret", "a-private-uid-secret-for-tests-only")
                .with("private_uid_namespace", "0e5f4b54-7b1f-4e3a-9c5e-0f0b8f6f1a11")
                .with("services.users.bcrypt_cost", 4);
    }
}

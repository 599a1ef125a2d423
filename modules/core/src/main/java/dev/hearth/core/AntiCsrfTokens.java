package dev.hearth.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code anti-csrf-tokens} service (spec 2.6.9): single-use tokens a user's GUI fetches before {@code /logout}
 * and {@code /auth/revoke-session}. 64 hex characters, valid for an hour, the ten most recent per user; kept hashed in
 * the database so that every instance can consume what another issued.
 */
public final class AntiCsrfTokens implements Service {

    static final Duration TTL = Duration.ofHours(1);
    static final int KEPT_PER_USER = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServiceContext context;
    private final Clock clock;
    private volatile Database database;

    AntiCsrfTokens(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
    }

    /** A new token for the user. */
    public String issue(User user) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO anti_csrf_tokens (token_hash, user_id, created_at) VALUES (:h, :u, :t)")
                    .bind("h", hash(token)).bind("u", user.id()).bind("t", now).execute();
            h.createUpdate("DELETE FROM anti_csrf_tokens WHERE user_id = :u AND (created_at <= :expired OR token_hash NOT IN"
                            + " (SELECT token_hash FROM anti_csrf_tokens WHERE user_id = :u ORDER BY created_at DESC, token_hash"
                            + " LIMIT :kept))")
                    .bind("u", user.id()).bind("expired", now - TTL.toMillis()).bind("kept", KEPT_PER_USER).execute();
        });
        return token;
    }

    /** Whether {@code token} is one of the user's live tokens; if so it is used up. */
    public boolean consume(User user, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        return database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM anti_csrf_tokens WHERE token_hash = :h"
                        + " AND user_id = :u AND created_at > :expired")
                .bind("h", hash(token)).bind("u", user.id()).bind("expired", now - TTL.toMillis()).execute()) == 1;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.hearth.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code private-uids} service: an actor's pseudonymous id (spec 2.5), for subsystems that must tell actors apart
 * without learning who they are (for example the {@code user} field sent to AI providers):
 * {@code uuidv5(hex(HMAC-SHA256(private_uid_secret, actor.uid)), private_uid_namespace)}, upper case. Stable across
 * restarts and instances (both secrets are persisted), and the same as upstream's with the same secrets.
 */
public final class PrivateUids implements Service {

    private final SecretKeySpec key;
    private final UUID namespace;

    PrivateUids(ServiceContext context) {
        String secret = context.config().string("private_uid_secret").orElseThrow(() -> ConfigException.invalid(
                "private_uid_secret", null, "a secret (generated into secrets.json on first boot)"));
        String ns = context.config().string("private_uid_namespace").orElseThrow(() -> ConfigException.invalid(
                "private_uid_namespace", null, "a UUID (generated into secrets.json on first boot)"));
        key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        try {
            namespace = UUID.fromString(ns);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("private_uid_namespace", ns, "a UUID");
        }
    }

    /** The actor's private uid. */
    public String of(Actor actor) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String hex = HexFormat.of().formatHex(mac.doFinal(actor.uid().getBytes(StandardCharsets.UTF_8)));
            return Uuids.v5(hex, namespace).toString().toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

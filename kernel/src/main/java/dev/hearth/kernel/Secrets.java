package dev.hearth.kernel;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The instance's secrets, generated on first boot and kept in {@code <data-dir>/secrets.json}, readable by its
 * owner only. A secret that is missing is generated; one that exists is never replaced (tokens and signed URLs
 * issued before a restart must stay valid). A value set in {@code config.json} wins over the file.
 */
final class Secrets {

    static final String FILE = "secrets.json";

    /** Every configuration key that holds a secret: generated here, masked when the configuration is shown. */
    static final List<String> PATHS = List.of("cookie_name", "jwt_secret", "url_signature_secret",
            "private_uid_secret", "private_uid_namespace", "services.auth.uuid_fpe_key");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** Reads the secrets file, adds any secret it lacks, writes it back if it changed, and returns it. */
    static ObjectNode ensure(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            ObjectNode secrets = Files.exists(file)
                    ? (ObjectNode) Json.mapper().readTree(file.toFile())
                    : JsonNodeFactory.instance.objectNode();
            boolean changed = false;
            for (String path : PATHS) {
                if (Config.of(secrets, dataDir).node(path).isEmpty()) {
                    ConfigLoader.put(secrets, path, JsonNodeFactory.instance.stringNode(generate(path)));
                    changed = true;
                }
            }
            if (changed) {
                write(file, secrets);
            }
            return secrets;
        } catch (IOException | RuntimeException e) {
            throw ConfigException.general("cannot read or write the secrets file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String generate(String path) {
        return switch (path) {
            // A namespace for name-based UUIDs: it must itself be a UUID.
            case "private_uid_namespace" -> UUID.randomUUID().toString();
            // An AES-128 key for the format-preserving encryption of session ids.
            case "services.auth.uuid_fpe_key" -> hex(16);
            // Cookie names must be tokens: hex keeps them valid and unguessable.
            case "cookie_name" -> "hearth_" + hex(16);
            default -> hex(32);
        };
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void write(Path file, JsonNode secrets) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(secrets));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

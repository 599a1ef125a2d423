package dev.hearth.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the effective {@link Config} from its layers, each above the one before:
 *
 * <ol>
 *   <li>built-in defaults ({@code defaults.json} beside this class);</li>
 *   <li>the generated secrets ({@code <data-dir>/secrets.json}, created on first boot);</li>
 *   <li>the configuration file: {@code config.json}, strict JSON or JSON5, whose {@code $requires} (or
 *       {@code $imports}) files are read first;</li>
 *   <li>the environment: {@code HEARTH_<KEY>}, with {@code __} between the parts of a nested key
 *       ({@code HEARTH_SERVICES__DATABASE__ENGINE=postgres}); Puter's {@code PORT} sets {@code http_port};</li>
 *   <li>the command line: {@code key.path=value} overrides.</li>
 * </ol>
 *
 * Objects merge key by key at every layer (upstream's {@code $preserve} is therefore always on). A value from
 * the environment or the command line is read as JSON when it parses as JSON, and as text otherwise.
 */
public final class ConfigLoader {

    /** Environment variables with the {@code HEARTH_} prefix that locate files rather than set keys. */
    private static final Set<String> LOCATORS = Set.of("HEARTH_CONFIG_PATH", "HEARTH_DATA_PATH");

    private ConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param dataDir the data directory; created (owner-only) if missing
     * @param configFile the configuration file, which must exist if given; when empty,
     *                   {@code <data-dir>/config.json} is read if it exists
     * @param env the process environment
     * @param overrides {@code key.path=value} pairs from the command line
     */
    public static Config load(Path dataDir, Optional<Path> configFile, Map<String, String> env, List<String> overrides) {
        Path dir = dataDir.toAbsolutePath().normalize();
        createDataDir(dir);

        ObjectNode tree = defaults();
        merge(tree, Secrets.ensure(dir));

        Optional<Path> file = configFile.or(() -> Optional.of(dir.resolve("config.json")).filter(Files::isRegularFile));
        if (configFile.isPresent() && !Files.isRegularFile(configFile.get())) {
            throw ConfigException.general("the configuration file " + configFile.get() + " does not exist", null);
        }
        file.ifPresent(f -> merge(tree, readFile(f, new HashSet<>())));

        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith("HEARTH_") && !LOCATORS.contains(name) && name.length() > "HEARTH_".length()) {
                String key = name.substring("HEARTH_".length()).toLowerCase(Locale.ROOT).replace("__", ".");
                put(tree, key, parseValue(e.getValue()));
            }
        }
        if (env.containsKey("PORT") && !env.containsKey("HEARTH_HTTP_PORT")) {
            put(tree, "http_port", parseValue(env.get("PORT")));
        }

        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw ConfigException.general("a --set override must look like key.path=value, not `" + override + "`", null);
            }
            put(tree, override.substring(0, eq).trim(), parseValue(override.substring(eq + 1)));
        }

        Config config = Config.of(tree, dir);
        validate(config);
        return config;
    }

    /** Sets the value at a dotted path, creating objects on the way (and replacing scalars in the way). */
    static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** Merges {@code upper} into {@code lower}, key by key. */
    static void merge(ObjectNode lower, JsonNode upper) {
        for (Map.Entry<String, JsonNode> e : upper.properties()) {
            String key = e.getKey();
            if (key.startsWith("$") || key.isEmpty()) {
                continue; // directives ($requires, $preserve) and upstream's "": null placeholder
            }
            JsonNode existing = lower.get(key);
            if (existing instanceof ObjectNode lowerObject && e.getValue() instanceof ObjectNode) {
                merge(lowerObject, e.getValue());
            } else {
                lower.set(key, e.getValue().deepCopy());
            }
        }
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.json")) {
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("the built-in defaults are missing from the kernel jar", e);
        }
    }

    private static ObjectNode readFile(Path file, Set<Path> reading) {
        Path real = file.toAbsolutePath().normalize();
        if (!reading.add(real)) {
            throw ConfigException.general("the configuration file " + real + " requires itself", null);
        }
        JsonNode parsed;
        try {
            parsed = Json.lenient().readTree(Files.readString(real));
        } catch (IOException e) {
            throw ConfigException.general("cannot read the configuration file " + real + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw ConfigException.general("the configuration file " + real + " is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ConfigException.general("the configuration file " + real + " must hold a JSON object", null);
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (String directive : List.of("$requires", "$imports")) {
            JsonNode required = object.get(directive);
            if (required == null) {
                continue;
            }
            if (!required.isArray()) {
                throw ConfigException.invalid(directive, required.toString(), "a list of file names");
            }
            for (JsonNode name : required) {
                merge(result, readFile(real.resolveSibling(name.asString()), reading));
            }
        }
        merge(result, object);
        reading.remove(real);
        return result;
    }

    private static JsonNode parseValue(String raw) {
        try {
            JsonNode parsed = Json.mapper().readTree(raw);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (JacksonException notJson) {
            // plain text, such as a host name
        }
        return JsonNodeFactory.instance.stringNode(raw);
    }

    private static void validate(Config config) {
        String name = config.string("config_name").orElse("");
        if (name.isBlank()) {
            throw ConfigException.invalid("config_name", name, "a non-empty name for this configuration");
        }
        for (String secret : List.of("jwt_secret", "url_signature_secret")) {
            String value = config.string(secret).orElse("");
            if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                // JWT HMAC keys under 256 bits are refused by the token library, and guessable besides.
                throw ConfigException.invalid(secret, "(" + value.length() + " characters, hidden)",
                        "at least 32 bytes; delete the key to have one generated");
            }
        }
    }

    private static void createDataDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isWritable(dir)) {
                throw ConfigException.general("the data directory " + dir + " is not writable", null);
            }
        } catch (IOException e) {
            throw ConfigException.general("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }
}

package dev.hearth.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The effective configuration: one JSON tree with Puter's key names ({@code http_port}, {@code domain},
 * {@code services.<name>.*}, ...), and the data directory it belongs to. Immutable.
 *
 * <p>Services read their own section through {@link #bind(String, Class)}, which turns it into a settings
 * record. A record validates itself in its constructor and throws {@link ConfigException#invalid} naming the
 * key, the value and what is allowed; a value of the wrong type is reported the same way.
 */
public final class Config {

    private final ObjectNode tree;
    private final Path dataDir;

    private Config(ObjectNode tree, Path dataDir) {
        this.tree = tree;
        this.dataDir = dataDir;
    }

    /** A configuration made of {@code tree} (copied), for the data directory {@code dataDir}. */
    public static Config of(JsonNode tree, Path dataDir) {
        if (!(tree instanceof ObjectNode object)) {
            throw ConfigException.general("the configuration must be a JSON object", null);
        }
        return new Config(object.deepCopy(), dataDir.toAbsolutePath().normalize());
    }

    /** An empty configuration: every service uses its defaults. */
    public static Config empty(Path dataDir) {
        return of(JsonNodeFactory.instance.objectNode(), dataDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A copy of the whole tree. */
    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /** The node at a dotted path, if present and not null. */
    public Optional<JsonNode> node(String path) {
        JsonNode n = tree;
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                n = n.get(part);
                if (n == null) {
                    return Optional.empty();
                }
            }
        }
        return n.isNull() || n.isMissingNode() ? Optional.empty() : Optional.of(n);
    }

    /** A scalar at a dotted path, as text. */
    public Optional<String> string(String path) {
        return node(path).filter(JsonNode::isValueNode).map(JsonNode::asString);
    }

    /** Whether the value at a dotted path is set and truthy (not false, 0, "" or "false"). */
    public boolean flag(String path) {
        return node(path).map(n -> n.isBoolean() ? n.booleanValue()
                : n.isNumber() ? n.doubleValue() != 0
                : n.isString() ? !n.asString().isEmpty() && !n.asString().equalsIgnoreCase("false")
                : true).orElse(false);
    }

    /**
     * Binds the section at {@code path} (empty for the root) to {@code type}, usually a record. A missing section
     * binds as an empty object, so the record's defaults apply. Unknown keys are ignored.
     *
     * @throws ConfigException naming the full key when a value has the wrong type or the record refuses it
     */
    public <T> T bind(String path, Class<T> type) {
        JsonNode section = node(path).orElseGet(JsonNodeFactory.instance::objectNode);
        try {
            return Json.mapper().treeToValue(section, type);
        } catch (JacksonException e) {
            ConfigException cause = findConfigException(e);
            if (cause != null) {
                throw cause.under(path);
            }
            String key = keyOf(e);
            String full = path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
            Object value = node(full).map(n -> n.isString() ? n.asString() : (Object) n.toString()).orElse(null);
            throw ConfigException.invalid(full, value, "a value of the documented type ("
                    + Objects.requireNonNullElse(e.getOriginalMessage(), "type mismatch").lines().findFirst().orElse("")
                    + ")");
        }
    }

    /** The configuration with one value replaced; for overrides in code and tests. */
    public Config with(String path, Object value) {
        ObjectNode copy = tree.deepCopy();
        ConfigLoader.put(copy, path, Json.mapper().valueToTree(value));
        return new Config(copy, dataDir);
    }

    /**
     * The tree with every secret replaced by a mask, for printing: the generated secrets, and any value whose key
     * is {@code password}, ends in {@code _password} (such as {@code services.database.password}), contains
     * {@code secret} (such as {@code services.s3.secret_access_key}) or names a provider's key ({@code apiKey},
     * {@code api_key}, {@code apiToken}, {@code access_key}), which the operator set and nothing generates.
     */
    public ObjectNode masked() {
        ObjectNode copy = tree.deepCopy();
        for (String secret : Secrets.PATHS) {
            if (node(secret).isPresent()) {
                ConfigLoader.put(copy, secret, JsonNodeFactory.instance.stringNode("********"));
            }
        }
        maskPasswords(copy);
        return copy;
    }

    /** Keys whose values the operator sets and nothing generates: passwords and providers' API keys. */
    private static final java.util.Set<String> SECRET_KEYS = java.util.Set.of("password", "apiKey", "api_key",
            "apiToken", "access_key");

    private static void maskPasswords(ObjectNode node) {
        for (String key : List.copyOf(node.propertyNames())) {
            JsonNode value = node.get(key);
            if (value instanceof ObjectNode child) {
                maskPasswords(child);
            } else if ((SECRET_KEYS.contains(key) || key.endsWith("_password") || key.contains("secret"))
                    && !value.isNull()) {
                node.put(key, "********");
            }
        }
    }

    private static ConfigException findConfigException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConfigException ce) {
                return ce;
            }
        }
        return null;
    }

    private static String keyOf(JacksonException e) {
        StringBuilder key = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!key.isEmpty()) {
                    key.append('.');
                }
                key.append(ref.getPropertyName());
            }
        }
        return key.toString();
    }
}

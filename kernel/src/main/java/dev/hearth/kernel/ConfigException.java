package dev.hearth.kernel;

/**
 * A configuration value that cannot be used. The message names the key, the value and what is allowed, so that
 * an operator can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException {

    private final String key;
    private final Object value;
    private final String allowed;

    private ConfigException(String key, Object value, String allowed, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.value = value;
        this.allowed = allowed;
    }

    /**
     * {@code key} has {@code value}, which is not what is {@code allowed}. Settings records throw this from
     * their constructors with the key relative to their section; {@link Config#bind} adds the section.
     */
    public static ConfigException invalid(String key, Object value, String allowed) {
        return new ConfigException(key, value, allowed, describe(key, value, allowed), null);
    }

    /** A problem that is not about one key (an unreadable file, say). */
    public static ConfigException general(String message, Throwable cause) {
        return new ConfigException("", null, null, message, cause);
    }

    /** The dotted key at fault; empty when the problem is not about one key. */
    public String key() {
        return key;
    }

    /** The same problem, with the key placed under the section {@code prefix}. */
    ConfigException under(String prefix) {
        if (prefix.isEmpty() || allowed == null) {
            return this;
        }
        String full = key.isEmpty() ? prefix : prefix + "." + key;
        return new ConfigException(full, value, allowed, describe(full, value, allowed), getCause());
    }

    private static String describe(String key, Object value, String allowed) {
        String shown = value == null ? "nothing"
                : value instanceof CharSequence s ? "\"" + s + "\"" : String.valueOf(value);
        return "config key `" + key + "` has the value " + shown + "; allowed: " + allowed;
    }
}

package dev.hearth.server;

import java.util.Locale;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;

/** Sets the root log level from the configuration key {@code logger.level} (Puter's names or SLF4J's). */
final class LogLevel {

    private LogLevel() {}

    static void apply(Config config) {
        config.string("logger.level").ifPresent(value -> {
            Level level = switch (value.toUpperCase(Locale.ROOT)) {
                case "ERRO", "ERROR" -> Level.ERROR;
                case "WARN", "WARNING" -> Level.WARN;
                case "INFO" -> Level.INFO;
                case "DEBU", "DEBUG" -> Level.DEBUG;
                case "TICK", "TRACE" -> Level.TRACE;
                default -> throw ConfigException.invalid("logger.level", value,
                        "one of ERRO, WARN, INFO, DEBU, TICK (or error, warn, info, debug, trace)");
            };
            // Only when Logback is the backend, as it is in the server jar; embedders keep their own setup.
            if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
                root.setLevel(level);
            }
        });
    }
}

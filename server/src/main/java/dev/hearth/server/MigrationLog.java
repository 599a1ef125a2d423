package dev.hearth.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Collects what the database service logs about the migrations it applied (its {@code migrated ...} lines), so
 * that {@code hearth migrate} can tell "applied these" from "up to date". The database reports applied
 * migrations only in its log; should it grow an API for that, this goes.
 */
final class MigrationLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final String SOURCE = "dev.hearth.core";

    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private MigrationLog(Logger logger) {
        this.logger = logger;
    }

    /** Starts listening; empty-handed if Logback is not the logging backend. */
    static MigrationLog listen() {
        MigrationLog log = new MigrationLog(
                LoggerFactory.getLogger(SOURCE) instanceof Logger l ? l : null);
        if (log.logger != null) {
            log.setName("hearth-migrate");
            log.setContext(log.logger.getLoggerContext());
            log.start();
            log.logger.addAppender(log);
        }
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.startsWith("migrated ")) {
            applied.add(message);
        }
    }

    /** The migration lines logged since {@link #listen()}, in order. */
    List<String> applied() {
        return List.copyOf(applied);
    }

    @Override
    public void close() {
        if (logger != null) {
            logger.detachAppender(this);
        }
        stop();
    }
}

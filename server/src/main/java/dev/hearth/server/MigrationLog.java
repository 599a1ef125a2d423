package dev.hearth.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
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
    private final Level levelBefore;
    private final Level shownBefore;
    private final boolean additiveBefore;

    private MigrationLog(Logger logger) {
        this.logger = logger;
        this.levelBefore = logger.getLevel();
        this.shownBefore = logger.getEffectiveLevel();
        this.additiveBefore = logger.isAdditive();
    }

    /** Starts listening; empty if Logback is not the logging backend. */
    static Optional<MigrationLog> listen() {
        if (!(LoggerFactory.getLogger(SOURCE) instanceof Logger logger)) {
            return Optional.empty();
        }
        MigrationLog log = new MigrationLog(logger);
        log.setName("hearth-migrate");
        log.setContext(logger.getLoggerContext());
        log.start();
        logger.addAppender(log);
        if (log.shownBefore.isGreaterOrEqual(Level.WARN)) {
            // logger.level hides INFO, so the lines would never be made. Make them for this appender alone, which
            // passes on to the console what the operator did ask to see.
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
        }
        return Optional.of(log);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.startsWith("migrated ")) {
            applied.add(message);
        }
        if (!logger.isAdditive() && event.getLevel().isGreaterOrEqual(shownBefore)) {
            logger.getLoggerContext().getLogger(Logger.ROOT_LOGGER_NAME).callAppenders(event);
        }
    }

    /** The migration lines logged since {@link #listen()}, in order. */
    List<String> applied() {
        return List.copyOf(applied);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(levelBefore);
        logger.setAdditive(additiveBefore);
        stop();
    }
}

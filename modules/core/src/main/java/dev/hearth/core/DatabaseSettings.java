package dev.hearth.core;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.database} section.
 *
 * @param engine {@code sqlite} (default) or {@code postgres}
 * @param path the SQLite file, relative to the data directory unless absolute (default {@code hearth.sqlite})
 * @param url the PostgreSQL JDBC URL, {@code jdbc:postgresql://host:port/database}; required for postgres
 * @param user the PostgreSQL user, when not in the URL
 * @param password the PostgreSQL password, when not in the URL
 * @param poolSize connections in the pool; 0 or absent for the engine's default, and only 1 for SQLite (see
 *                 {@link #connections()})
 */
record DatabaseSettings(
        String engine,
        String path,
        String url,
        String user,
        String password,
        @JsonProperty("pool_size") int poolSize) {

    static final String SQLITE = "sqlite";
    static final String POSTGRES = "postgres";

    DatabaseSettings {
        engine = engine == null || engine.isBlank() ? SQLITE : engine.trim();
        if (!engine.equals(SQLITE) && !engine.equals(POSTGRES)) {
            throw ConfigException.invalid("engine", engine, SQLITE + ", " + POSTGRES);
        }
        path = path == null || path.isBlank() ? "hearth.sqlite" : path;
        url = url == null ? "" : url.trim();
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (engine.equals(POSTGRES)) {
            if (url.isEmpty()) {
                throw ConfigException.invalid("url", null,
                        "a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/hearth (required when engine is postgres)");
            }
            if (!url.startsWith("jdbc:postgresql:")) {
                throw ConfigException.invalid("url", redact(url),
                        "a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/hearth");
            }
        }
        if (poolSize < 0 || poolSize > 500) {
            throw ConfigException.invalid("pool_size", poolSize, "0 (the engine's default) or 1 to 500");
        }
        if (engine.equals(SQLITE) && poolSize > 1) {
            // Measured on 2 cores, 8 virtual threads x 200 writes: with 4 connections one run in 3 stalled for
            // 30 s and failed with SQLITE_BUSY; with platform threads, or with one connection, none did (each run
            // 0.2-0.4 s). Writers waiting in SQLite's native busy handler pin the carrier threads, and the virtual
            // thread holding the write lock then finds no carrier to finish its transaction on.
            throw ConfigException.invalid("pool_size", poolSize,
                    "1 with sqlite (one writer at a time; callers queue in the pool), 1 to 500 with postgres");
        }
    }

    Dialect dialect() {
        return engine.equals(POSTGRES) ? Dialect.POSTGRES : Dialect.SQLITE;
    }

    /**
     * The pool size in effect. SQLite has exactly one connection: SQLite has a single writer anyway, and with one
     * connection every caller queues in the pool (Java code, where a waiting virtual thread unmounts) instead of
     * sleeping in SQLite's native busy handler (where it pins its carrier thread, and two or three of them starve
     * the very thread that holds the write lock). PostgreSQL defaults to 10.
     */
    int connections() {
        return poolSize > 0 ? poolSize : dialect() == Dialect.SQLITE ? 1 : 10;
    }

    Optional<String> pgUser() {
        return user.isEmpty() ? Optional.empty() : Optional.of(user);
    }

    Optional<String> pgPassword() {
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    /** The URL without its query and user info, either of which may carry a password: fit for logs and errors. */
    static String redact(String url) {
        int query = url.indexOf('?');
        String shown = query < 0 ? url : url.substring(0, query) + "?...";
        return shown.replaceFirst("//[^/@]*@", "//...@");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[engine=" + engine + ", path=" + path + ", url=" + redact(url) + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "********") + ", pool_size=" + poolSize + "]";
    }
}

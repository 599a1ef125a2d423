package dev.hearth.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/**
 * One booted kernel with core per test class, on the backend the subclass names; tests make users with unique names
 * so they do not see each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountsFixture {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    TestBackend backend;
    Path dataDir;
    Kernel kernel;
    final List<Kernel> more = new ArrayList<>();

    abstract TestBackend newBackend();

    /** Modules booted with core (fakes of the modules above it). */
    List<Module> extraModules() {
        return List.of();
    }

    /** Configuration on top of the backend's. */
    Config adjust(Config config) {
        return config;
    }

    @BeforeAll
    void bootKernel() throws IOException {
        backend = newBackend();
        dataDir = Files.createTempDirectory("hearth-accounts");
        kernel = backend.boot(dataDir, extraModules(), this::adjust);
    }

    @AfterAll
    void shutDown() {
        more.forEach(Kernel::shutdown);
        if (kernel != null) {
            kernel.shutdown();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** A second instance on the same database (PostgreSQL) or file (SQLite). */
    Kernel secondInstance() {
        Kernel k = backend.boot(dataDir, extraModules(), this::adjust);
        more.add(k);
        return k;
    }

    <T> T get(Class<T> type) {
        return kernel.services().get(type);
    }

    Users users() {
        return get(Users.class);
    }

    static String unique(String prefix) {
        return prefix + "_" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid() % 1000;
    }

    /** A fresh real account with password {@code password1}. */
    User newUser() {
        String name = unique("u");
        return users().create(NewUser.account(name, name + "@example.com", "password1"));
    }
}

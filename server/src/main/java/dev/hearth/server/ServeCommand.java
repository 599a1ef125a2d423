package dev.hearth.server;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Users;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", description = "Boots Hearth and serves until stopped (SIGTERM or Ctrl-C). The default.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    LaunchOptions options;

    private final Launch launch;

    ServeCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        return serve(options);
    }

    int serve(LaunchOptions with) {
        Config config = with.load(launch.env(), launch.workingDir());
        LogLevel.apply(config);
        Kernel kernel = Kernel.builder(config).modules(DefaultModules.create()).build();

        // SIGTERM and Ctrl-C end the JVM through its shutdown hooks: this one drains and stops the kernel
        // (web first, then the database). It is in place before boot, so a signal during boot is handled too;
        // kernel.shutdown() waits for boot() to finish, as both hold the kernel's lock.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().name("hearth-shutdown").unstarted(() -> {
            try {
                log.info("Hearth is stopping");
                kernel.shutdown();
                log.info("Hearth stopped");
            } finally {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            kernel.boot();
        } catch (RuntimeException e) {
            removeQuietly(hook);
            throw e;
        }

        launch.out().println("Hearth is serving at " + ServingAddress.of(kernel) + readyIn());
        launch.out().println("Data directory: " + config.dataDir());
        kernel.services().find(dev.hearth.web.WebServer.class).flatMap(w -> w.urls().sitesOrigin())
                .ifPresent(sites -> launch.out().println("Hosted websites: " + sites + "/<name>/"));
        // Shown once, on the console only: the log never sees it, and a restart does not show it again.
        kernel.services().find(Users.class).flatMap(Users::takeInitialAdminPassword)
                .ifPresent(password -> launch.out().println(Users.adminBanner(password)));
        awaitUninterruptibly(stopped);
        return 0;
    }

    /** Time since the JVM started (not the process: the launcher script exec's into it after building). */
    private static String readyIn() {
        return " (ready in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms)";
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDownAlready) {
            // the hook runs or has run; nothing to undo
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Phase;

class ShutdownTest {

    // Not the common pool: on a two-core machine it has one thread, and the slow request would hold it.
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path dir;

    @Test
    void inFlightRequestCompletesWhileNewConnectionsAreRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestHearth h = TestHearth.builder(dir).set("shutdown.drain_seconds=10").routes(r -> r.get("/slow", (req, res) -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            res.text("finished");
        })).boot();
        int port = h.port();

        CompletableFuture<TestHearth.Reply> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return h.get("/slow");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(h.kernel::shutdown, threads);
        // Wait (bounded) until the listener is closed; the slow request is still in its handler meanwhile.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                Thread.sleep(20);
            } catch (ConnectException e) {
                refused = true;
            }
        }
        assertThat(refused).as("new connections are refused while draining").isTrue();
        assertThat(slow).isNotDone();
        assertThat(h.server().draining()).isTrue();

        release.countDown();
        TestHearth.Reply reply = slow.get(10, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("finished");
        shutdown.get(10, TimeUnit.SECONDS);
        assertThat(h.kernel.phase()).isEqualTo(Phase.STOPPED);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    /** A service registered after the web module, like the database: it shuts down before the web server. */
    static final class Database implements dev.hearth.kernel.Service {
        volatile boolean open = true;

        @Override
        public void shutdown() {
            open = false;
        }
    }

    @Test
    void requestsInFlightStillFindLaterServicesOpen() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Database db = new Database();
        TestHearth h = TestHearth.builder(dir).set("shutdown.drain_seconds=10")
                .routes(r -> r.get("/query", (req, res) -> {
                    entered.countDown();
                    release.await(20, TimeUnit.SECONDS);
                    res.text(db.open ? "database open" : "database closed");
                }))
                .service("database", c -> db).boot();
        CompletableFuture<TestHearth.Reply> query = CompletableFuture.supplyAsync(() -> {
            try {
                return h.get("/query");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(h.kernel::shutdown, threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!h.server().draining() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(h.server().draining()).isTrue();
        release.countDown();
        assertThat(query.get(10, TimeUnit.SECONDS).text()).isEqualTo("database open");
        shutdown.get(10, TimeUnit.SECONDS);
        assertThat(db.open).isFalse();
    }

    @Test
    void drainTimeoutBoundsTheWait() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        TestHearth h = TestHearth.builder(dir).set("shutdown.drain_seconds=1").routes(r -> r.get("/stuck", (req, res) -> {
            entered.countDown();
            Thread.sleep(60_000);
        })).boot();
        CompletableFuture<Object> stuck = CompletableFuture.supplyAsync(() -> {
            try {
                return h.get("/stuck");
            } catch (IOException e) {
                return e; // aborted: the client sees the connection close
            }
        }, threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(h.kernel::shutdown, threads);
        shutdown.get(20, TimeUnit.SECONDS); // would take a minute if the drain were unbounded
        assertThat(h.kernel.phase()).isEqualTo(Phase.STOPPED);
        stuck.get(20, TimeUnit.SECONDS);
    }
}

package dev.hearth.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.HealthCheck;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code server-health} service: {@code GET /healthcheck} asks every {@link HealthCheck} service (each
 * bounded by {@code services.server-health.check_timeout_ms}, 4000 by default) and keeps the answer for
 * {@code services.server-health.cache_ms} (5000), so that a load balancer polling hard costs nothing. While
 * the server drains it answers {@code 503}. Also {@code GET /test}, the Docker health check.
 */
final class ServerHealth implements Service, HttpService {

    private static final Logger log = LoggerFactory.getLogger(ServerHealth.class);

    private record Status(long at, List<String> failed) {}

    private final ServiceContext context;
    private final long cacheMillis;
    private final long timeoutMillis;
    private List<HealthCheck> checks = List.of();
    private JettyWebServer server;
    private Status cached;

    ServerHealth(ServiceContext context) {
        this.context = context;
        Config config = context.config();
        this.cacheMillis = millis(config, "services." + context.name() + ".cache_ms", 5000);
        this.timeoutMillis = millis(config, "services." + context.name() + ".check_timeout_ms", 4000);
    }

    private static long millis(Config config, String key, long dflt) {
        return config.node(key).map(n -> {
            if (!n.isIntegralNumber() || n.longValue() < 0) {
                throw ConfigException.invalid(key, n.toString(), "a whole number of milliseconds, 0 or more");
            }
            return n.longValue();
        }).orElse(dflt);
    }

    @Override
    public void init() {
        checks = context.services().all(HealthCheck.class);
        server = context.services().find(WebServer.class)
                .filter(JettyWebServer.class::isInstance).map(JettyWebServer.class::cast).orElse(null);
    }

    @Override
    public void routes(Router router) {
        router.exemptFromHostCheck("/healthcheck");
        router.platform().get("/healthcheck", (req, res) -> {
            if (server != null && server.draining()) {
                res.status(503).json(body(List.of("draining")));
                return;
            }
            List<String> failed = status();
            if (!failed.isEmpty() && req.queryParams().containsKey("return-http-error")) {
                res.status(500);
            }
            res.json(body(failed));
        });
        router.platform().get("/test", (req, res) -> res.html("It's working!"));
    }

    private static Map<String, Object> body(List<String> failed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", failed.isEmpty());
        if (!failed.isEmpty()) {
            body.put("failed", failed);
        }
        return body;
    }

    /** The names of the failing checks, from the cache while it is fresh. */
    synchronized List<String> status() {
        long now = System.nanoTime();
        if (cached != null && now - cached.at() < TimeUnit.MILLISECONDS.toNanos(cacheMillis)) {
            return cached.failed();
        }
        List<String> failed = new ArrayList<>();
        // One virtual thread per check, not awaited past the deadline: a check stuck in uninterruptible I/O
        // must not hold the answer (an ExecutorService's close() would wait for it).
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (HealthCheck check : checks) {
            CompletableFuture<Void> result = new CompletableFuture<>();
            Thread.ofVirtual().name("health-" + check.healthName()).start(() -> {
                try {
                    check.checkHealth();
                    result.complete(null);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            running.add(result);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            try {
                running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(check.healthName());
            } catch (Exception e) {
                log.warn("health check '{}' failed: {}", check.healthName(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
                failed.add(check.healthName());
            }
        }
        cached = new Status(System.nanoTime(), List.copyOf(failed));
        return cached.failed();
    }
}

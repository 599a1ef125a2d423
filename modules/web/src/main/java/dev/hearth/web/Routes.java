package dev.hearth.web;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The route table and middleware, filled through {@link Router} during consolidation and read-only after
 * {@link #freeze()}.
 */
final class Routes {

    record Route(HostScope scope, String method, PathPattern pattern, Handler handler) {}

    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();
    private final Map<Stage, List<Middleware>> middleware = new EnumMap<>(Stage.class);
    private final Set<String> hostCheckExempt = new HashSet<>();
    private volatile boolean frozen;

    Routes() {
        for (Stage s : Stage.values()) {
            middleware.put(s, new ArrayList<>());
        }
    }

    Router router() {
        return new View(HostScope.API);
    }

    void freeze() {
        frozen = true;
    }

    Optional<Match> find(HostKind host, String method, String path) {
        Optional<Match> match = find(host, method, path, method);
        if (match.isEmpty() && method.equals("HEAD")) {
            match = find(host, method, path, "GET");
        }
        return match;
    }

    private Optional<Match> find(HostKind host, String method, String path, String routeMethod) {
        for (Route r : routes) {
            if (r.method().equals(routeMethod) && host.in(r.scope())) {
                Optional<Map<String, String>> params = r.pattern().match(path);
                if (params.isPresent()) {
                    return Optional.of(new Match(r, Map.copyOf(params.get())));
                }
            }
        }
        return Optional.empty();
    }

    /** Middleware of every stage, in running order. */
    List<Middleware> chain() {
        List<Middleware> all = new ArrayList<>();
        for (Stage s : Stage.values()) {
            all.addAll(middleware.get(s));
        }
        return List.copyOf(all);
    }

    boolean exemptFromHostCheck(String path) {
        return hostCheckExempt.contains(path);
    }

    private void checkOpen() {
        if (frozen) {
            throw new IllegalStateException("routes are registered during consolidation, in HttpService.routes()");
        }
    }

    private final class View implements Router {
        private final HostScope scope;

        View(HostScope scope) {
            this.scope = scope;
        }

        @Override
        public Router scope(HostScope s) {
            return new View(Objects.requireNonNull(s));
        }

        @Override
        public Router route(String method, String pattern, Handler handler) {
            checkOpen();
            String m = Objects.requireNonNull(method).trim().toUpperCase(Locale.ROOT);
            if (m.isEmpty()) {
                throw new IllegalArgumentException("a route needs a method");
            }
            routes.add(new Route(scope, m, PathPattern.parse(pattern), Objects.requireNonNull(handler)));
            return this;
        }

        @Override
        public Router use(Stage stage, Middleware m) {
            checkOpen();
            middleware.get(Objects.requireNonNull(stage)).add(Objects.requireNonNull(m));
            return this;
        }

        @Override
        public Router exemptFromHostCheck(String path) {
            checkOpen();
            hostCheckExempt.add(path);
            return this;
        }
    }
}

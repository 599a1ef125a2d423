package dev.hearth.web;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
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
    /** Set by {@link #freeze()}: the routes a path may match, by its first segment; the others for other paths. */
    private volatile Map<String, List<Route>> byFirstSegment = Map.of();
    private volatile List<Route> withoutLiteralStart = List.of();

    Routes() {
        for (Stage s : Stage.values()) {
            middleware.put(s, new ArrayList<>());
        }
    }

    Router router() {
        return new View(HostScope.API);
    }

    void freeze() {
        // Index by the first segment: a request is only tried against the routes whose first segment is its own, and
        // those starting with a parameter or wildcard, still in registration order (the first match wins). Scanning
        // every route was a visible share of a request's time with a few hundred of them.
        Map<String, List<Route>> index = new HashMap<>();
        List<Route> open = new ArrayList<>();
        for (Route r : routes) {
            Optional<String> first = r.pattern().firstLiteral();
            if (first.isPresent()) {
                index.computeIfAbsent(first.get(), k -> new ArrayList<>(open)).add(r);
            } else {
                open.add(r);
                index.values().forEach(list -> list.add(r));
            }
        }
        index.replaceAll((k, list) -> List.copyOf(list));
        byFirstSegment = Map.copyOf(index);
        withoutLiteralStart = List.copyOf(open);
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
        PathPattern.Path split = PathPattern.Path.of(path);
        List<Route> candidates = !frozen ? routes : split.decoded().isEmpty() ? withoutLiteralStart
                : byFirstSegment.getOrDefault(split.decoded().getFirst(), withoutLiteralStart);
        for (Route r : candidates) {
            if (r.method().equals(routeMethod) && host.in(r.scope())) {
                Optional<Map<String, String>> params = r.pattern().match(split);
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

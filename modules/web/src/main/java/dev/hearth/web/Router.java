package dev.hearth.web;

/**
 * Where {@link HttpService}s register routes and middleware. A route is a host scope, a method and a path
 * pattern. Patterns are literal segments, parameters ({@code /apps/:name} or {@code /apps/{name}}) and an
 * optional trailing wildcard ({@code /assets/*}, whose match is the parameter {@code "*"}). A trailing slash in
 * the request path is ignored. The first matching route, in registration order, wins; a {@code HEAD} request
 * falls back to the {@code GET} route. Unmatched requests get a JSON {@code 404}.
 *
 * <p>The router itself registers on {@link HostScope#API}; {@link #scope(HostScope)} and its shortcuts return a
 * view that registers on another scope.
 */
public interface Router {

    /** A view of this router that registers routes on {@code scope}. */
    Router scope(HostScope scope);

    default Router api() {
        return scope(HostScope.API);
    }

    default Router gui() {
        return scope(HostScope.GUI);
    }

    default Router platform() {
        return scope(HostScope.PLATFORM);
    }

    default Router sites() {
        return scope(HostScope.SITES);
    }

    default Router anyHost() {
        return scope(HostScope.ANY);
    }

    /** Registers {@code handler} for {@code method} (upper case, any token, e.g. {@code PROPFIND}) and {@code pattern}. */
    Router route(String method, String pattern, Handler handler);

    default Router get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    default Router post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    default Router put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    default Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    default Router patch(String pattern, Handler handler) {
        return route("PATCH", pattern, handler);
    }

    /** Registers middleware for every routed request, whatever the scope, at {@code stage}. */
    Router use(Stage stage, Middleware middleware);

    /**
     * Exempts an exact path from Host-header validation: a request for it with an unknown Host is routed as if
     * it came to the API host (Puter does this for {@code /healthcheck}, which load balancers call by IP).
     */
    Router exemptFromHostCheck(String path);
}

package dev.hearth.web;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.kernel.Context;
import tools.jackson.databind.JsonNode;

/**
 * An HTTP request as handlers see it. Behind a trusted proxy (config {@code trusted_proxies}),
 * {@link #clientAddress()}, {@link #scheme()} and {@link #host()} come from the {@code X-Forwarded-*} headers;
 * from anyone else those headers are ignored.
 */
public interface Request {

    /** The method, upper case. */
    String method();

    /** The path, not decoded (so that {@code %2F} stays distinguishable from {@code /}), without the query. */
    String path();

    /** The path parameters of the matched route, decoded. */
    Map<String, String> pathParams();

    default Optional<String> pathParam(String name) {
        return Optional.ofNullable(pathParams().get(name));
    }

    /** The pattern of the matched route, e.g. {@code /apps/:name}; empty before routing. */
    Optional<String> routePattern();

    /**
     * The query parameters, decoded. Only scalars are kept: a parameter given more than once, or in the bracket
     * syntax of arrays and objects ({@code a[]=1}, {@code a[b]=1}), is dropped, as Puter's pipeline does.
     */
    Map<String, String> queryParams();

    default Optional<String> query(String name) {
        return Optional.ofNullable(queryParams().get(name));
    }

    /** The first value of a header (names are case-insensitive). */
    Optional<String> header(String name);

    /** Every value of a header, in order. */
    List<String> headers(String name);

    /** The value of a cookie. */
    Optional<String> cookie(String name);

    /** The host name the client asked for, lower case, without the port. */
    String host();

    /** Whether this request came to a host in {@code scope}. */
    boolean on(HostScope scope);

    /**
     * Whether this request came to the sites port of single-origin mode, where the first path segment names the
     * hosted site ({@code /<name>/...}); on a site's own host ({@code <name>.site.<domain>}) the Host names it.
     * Such requests are always {@link HostScope#SITES}.
     */
    boolean siteInPath();

    /** {@code http} or {@code https}, as the client sees it. */
    String scheme();

    /** The client's IP address, as text. */
    String clientAddress();

    /** The first {@code Origin} value; a header holding several joined values gives the first one. */
    Optional<String> origin();

    /**
     * Whether the request's {@code Origin} (or, without one, its {@code Referer}) is one of Hearth's own public
     * origins. This is the anti-CSRF test for routes that authenticate by cookie. Requests with neither header,
     * or with several joined origins, are not from an own origin.
     */
    boolean fromOwnOrigin();

    /** The declared {@code Content-Length}, if any. */
    OptionalLong contentLength();

    /** The {@code Content-Type}, if any. */
    Optional<String> contentType();

    /**
     * Whether the body is JSON: {@code application/json}, {@code application/*+json}, or puter.js's
     * {@code text/plain;actually=json}.
     */
    boolean isJson();

    /**
     * The body as a stream, read from the socket as the handler reads it. Reading more than the configured
     * limit ({@code services.web-server.max_body_bytes}) throws a {@code 413} {@link dev.hearth.kernel.ApiError}.
     * Can be taken once; after {@link #jsonTree()} parsed a JSON body, it gives the same bytes again.
     */
    InputStream body();

    /**
     * The body parsed as JSON, at most {@code services.web-server.max_json_bytes} ({@code 413} beyond). An empty
     * body, or a body that is not {@link #isJson() JSON}, gives an empty object, as Puter's body parser does;
     * a malformed one is a {@code 400}. Parsed once and kept, so that middleware (which looks for a body
     * {@code auth_token}) and the handler can both read it.
     */
    JsonNode jsonTree();

    /** {@link #jsonTree()} bound to {@code type}; a body that does not fit the type is a {@code 400}. */
    <T> T json(Class<T> type);

    /** This request's id, as logged and as sent to the client in {@code X-Request-Id}. */
    String requestId();

    /** The request context currently bound (it carries the request id, and the actor once authenticated). */
    Context context();
}

package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.eclipse.jetty.http.HttpCookie;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@link Request} over a Jetty request. One per request; used by one thread at a time. */
final class JettyRequest implements Request {

    private final org.eclipse.jetty.server.Request jetty;
    private final WebSettings settings;
    private final Hosts hosts;
    private final String requestId;
    private final Context base;
    private final String host;
    private final HostKind hostKind;
    private final String scheme;
    private final String clientAddress;
    private final boolean siteInPath;
    private final Map<String, String> query;
    private Routes.Match match;
    private JsonNode json;
    private byte[] jsonBytes;
    /** Why the JSON body could not be parsed: every later call answers the same (the body is gone by then). */
    private ApiError jsonFailure;
    private boolean bodyTaken;

    JettyRequest(org.eclipse.jetty.server.Request jetty, WebSettings settings, Hosts hosts, String requestId,
            Context base, String host, HostKind hostKind, String scheme, String clientAddress, boolean siteInPath) {
        this.jetty = jetty;
        this.settings = settings;
        this.hosts = hosts;
        this.requestId = requestId;
        this.base = base;
        this.host = host;
        this.hostKind = hostKind;
        this.scheme = scheme;
        this.clientAddress = clientAddress;
        this.siteInPath = siteInPath;
        this.query = scalarQuery(jetty.getHttpURI().getQuery());
    }

    void matched(Routes.Match m) {
        this.match = m;
    }

    HostKind hostKind() {
        return hostKind;
    }

    @Override
    public String method() {
        return jetty.getMethod().toUpperCase(Locale.ROOT);
    }

    @Override
    public String path() {
        String p = jetty.getHttpURI().getPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public Map<String, String> pathParams() {
        return match == null ? Map.of() : match.params();
    }

    @Override
    public Optional<String> routePattern() {
        return match == null ? Optional.empty() : Optional.of(match.route().pattern().toString());
    }

    @Override
    public Map<String, String> queryParams() {
        return query;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(jetty.getHeaders().get(name));
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(jetty.getHeaders().getValuesList(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        List<HttpCookie> cookies = org.eclipse.jetty.server.Request.getCookies(jetty);
        if (cookies == null) {
            return Optional.empty();
        }
        return cookies.stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public boolean on(HostScope scope) {
        return hostKind.in(scope);
    }

    @Override
    public boolean siteInPath() {
        return siteInPath;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public Optional<String> origin() {
        return header("Origin").map(o -> o.split(",", 2)[0].trim()).filter(o -> !o.isEmpty());
    }

    @Override
    public boolean fromOwnOrigin() {
        Optional<String> origin = header("Origin");
        if (origin.isPresent()) {
            String o = origin.get().trim();
            return !o.contains(",") && hosts.isOwnOrigin(o);
        }
        return header("Referer").map(hosts::isOwnOrigin).orElse(false);
    }

    @Override
    public OptionalLong contentLength() {
        long length = jetty.getHeaders().getLongField("Content-Length");
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    @Override
    public Optional<String> contentType() {
        return header("Content-Type");
    }

    @Override
    public boolean isJson() {
        return contentType().map(JettyRequest::isJsonType).orElse(false);
    }

    static boolean isJsonType(String contentType) {
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        if (type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json")) {
            return true;
        }
        if (type.equals("text/plain")) {
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].replace(" ", "").equals("actually=json")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public InputStream body() {
        if (jsonBytes != null) {
            // Middleware parsed the JSON body already (looking for auth_token): hand out the same bytes again.
            InputStream again = new java.io.ByteArrayInputStream(jsonBytes);
            jsonBytes = null;
            return again;
        }
        if (bodyTaken) {
            throw new IllegalStateException("the request body has already been read");
        }
        bodyTaken = true;
        return limited(settings.maxBodyBytes());
    }

    private InputStream limited(long limit) {
        if (contentLength().orElse(0) > limit) {
            throw ApiError.payloadTooLarge(limit);
        }
        return LimitedInputStream.failingBeyond(org.eclipse.jetty.server.Request.asInputStream(jetty), limit, () -> {
            throw ApiError.payloadTooLarge(limit);
        });
    }

    @Override
    public JsonNode jsonTree() {
        if (json != null) {
            return json;
        }
        if (jsonFailure != null) {
            throw jsonFailure;
        }
        if (!isJson()) {
            // Not JSON (a multipart upload, say): the tree is empty and the stream stays for the handler.
            json = JsonNodeFactory.instance.objectNode();
            return json;
        }
        if (bodyTaken) {
            throw new IllegalStateException("the request body has already been read as a stream");
        }
        // Too big to parse (a declared length over the limit): refused before the body is touched, so that a
        // handler that takes any content (a signed upload of a large JSON file) can still stream it.
        InputStream limitedJson = limited(settings.maxJsonBytes());
        bodyTaken = true;
        byte[] bytes;
        try (InputStream in = limitedJson) {
            // A declared length is read into an array of that size: readAllBytes starts with a 16 KiB buffer, which
            // for the usual body of a hundred bytes was a third of all the memory a /stat allocated.
            OptionalLong declared = contentLength();
            bytes = declared.isPresent() ? in.readNBytes((int) declared.getAsLong()) : in.readAllBytes();
        } catch (ApiError e) {
            jsonFailure = e;
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
        jsonBytes = bytes;
        if (bytes.length == 0) {
            json = JsonNodeFactory.instance.objectNode();
            return json;
        }
        try {
            json = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            jsonFailure = ApiError.badRequest("The request body is not valid JSON.");
            throw jsonFailure;
        }
        if (json == null || json.isMissingNode()) {
            json = JsonNodeFactory.instance.objectNode();
        }
        return json;
    }

    @Override
    public <T> T json(Class<T> type) {
        JsonNode tree = jsonTree();
        try {
            return Json.mapper().treeToValue(tree, type);
        } catch (JacksonException e) {
            throw ApiError.badRequest("The request body does not have the expected shape.");
        }
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public Context context() {
        return Context.current().orElse(base);
    }

    /**
     * Puter's pipeline step 8: only scalar query values survive. A repeated name would be an array, and the
     * bracket syntax ({@code a[]=1}, {@code a[b]=1}) an array or object, so both are dropped.
     */
    static Map<String, String> scalarQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> dropped = new HashSet<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            int bracket = name.indexOf('[');
            if (bracket >= 0 && name.indexOf(']', bracket) > bracket) {
                dropped.add(name.substring(0, bracket));
                continue;
            }
            if (counts.merge(name, 1, Integer::sum) > 1) {
                dropped.add(name);
            }
            values.put(name, value);
        }
        values.keySet().removeAll(dropped);
        return Map.copyOf(values);
    }

    private static String decodeQuery(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}

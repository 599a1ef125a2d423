package dev.hearth.ai;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * HTTP to AI providers, for chat and the media services alike, over the JDK's client: a time-out on every request,
 * one retry of a connection that failed before any answer, bounded reads of JSON answers, and one classification of
 * failures ({@link ProviderException.Kind}: 401/403 or a body saying the key is invalid → auth, 404 → model not
 * found, 408/504 → time-out, 429 → rate limited, 400/413/422 → the caller's error, the rest → unavailable). The
 * provider's credentials never reach a message or the log: the configured keys and anything shaped like a key are
 * removed ({@link #redact}).
 *
 * <p>Two faces over that one core. Chat (this package) builds one instance per provider with {@link Settings} and
 * gets {@link ProviderException}s, which decide whether another provider is tried. The media services
 * ({@code dev.hearth.ai.media}) build one per service ({@link #create}) and get driver errors ({@link ApiError}: spec
 * 1.6's codes), so that their public surface is these few methods and the bounded stream ({@link Limited}).
 */
public final class ProviderHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);

    /**
     * Keys that providers echo in their messages: OpenAI's {@code sk-…} (and {@code pk}, {@code rk}, Groq's
     * {@code gsk}, xAI's), Google's {@code AIza…}, bearer tokens.
     */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b((?:sk|pk|rk|gsk|xai)[-_][-_A-Za-z0-9*]{4,}"
            + "|AIza[0-9A-Za-z_\\-]{8,}|(?i:bearer)\\s+[A-Za-z0-9._\\-]{8,})");
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    /** JSON answers larger than this are refused: a generated image in base64 is well under it. */
    public static final long MAX_JSON_BYTES = 64L << 20;

    /**
     * Chat's per-provider settings.
     *
     * @param name the provider's name, in messages
     * @param requestTimeout how long a request may wait for the response's head
     * @param idleTimeout how long a stream may stay silent
     * @param secret the key to remove from messages (may be empty)
     */
    record Settings(String name, Duration requestTimeout, Duration idleTimeout, String secret) {
        Settings {
            Objects.requireNonNull(name);
            secret = secret == null ? "" : secret;
        }
    }

    private final HttpClient client;
    private final Settings settings;

    ProviderHttp(HttpClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * A client for the media services: redirects followed (providers answer image URLs), the provider named with
     * each call.
     */
    public static ProviderHttp create(Duration connectTimeout, Duration requestTimeout) {
        return new ProviderHttp(HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build(),
                new Settings("provider", requestTimeout, requestTimeout, ""));
    }

    String name() {
        return settings.name();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The core

    /**
     * Sends and answers the response when the provider succeeded (status below 400); otherwise a classified
     * {@link ProviderException} whose message is safe to show (chat's wording) and whose detail is the provider's
     * own text, keys removed. The refusal and connection failures are logged with the same redaction.
     */
    private HttpResponse<InputStream> exchange(String provider, HttpRequest request, Collection<String> secrets)
            throws ProviderException {
        HttpResponse<InputStream> r;
        try {
            r = sendOnce(request);
        } catch (HttpTimeoutException e) {
            LOG.warn("{}: no answer within the timeout ({})", provider, request.uri().getHost());
            long seconds = request.timeout().orElse(settings.requestTimeout()).toSeconds();
            throw new ProviderException(ProviderException.Kind.TIMEOUT, provider, "The AI provider `" + provider
                    + "` did not answer within " + seconds + " s.");
        } catch (ConnectException e) {
            LOG.warn("{}: {} could not be reached", provider, request.uri().getHost());
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, provider, "The AI provider `" + provider
                    + "` could not be reached.");
        } catch (IOException e) {
            String why = redact(String.valueOf(e.getMessage()), secrets);
            LOG.warn("{}: request to {} failed: {}: {}", provider, request.uri().getHost(),
                    e.getClass().getSimpleName(), why);
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, provider, "The connection to the AI "
                    + "provider `" + provider + "` failed: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, provider, "interrupted");
        }
        int status = r.statusCode();
        if (status < 400) {
            return r;
        }
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        throw refusal(provider, status, body, secrets);
    }

    /** A provider's refusal, classified; the provider's message with keys removed is its detail. */
    static ProviderException refusal(String provider, int status, String body, Collection<String> secrets) {
        String detail = redact(providerMessage(body), secrets);
        boolean keyInvalid = body.contains("API_KEY_INVALID") || body.contains("invalid_api_key");
        boolean auth = status == 401 || status == 403 || keyInvalid;
        // an auth failure's text often quotes the key: the status is enough for the log
        LOG.warn("{} answered HTTP {}{}", provider, status, auth || detail.isBlank() ? "" : ": " + detail);
        String suffix = detail.isBlank() ? "" : ": " + detail;
        ProviderException.Kind kind = auth ? ProviderException.Kind.AUTH : switch (status) {
            case 404 -> ProviderException.Kind.MODEL_NOT_FOUND;
            case 408, 504 -> ProviderException.Kind.TIMEOUT;
            case 429 -> ProviderException.Kind.RATE_LIMITED;
            case 400, 413, 422 -> ProviderException.Kind.BAD_REQUEST;
            default -> ProviderException.Kind.UNAVAILABLE;
        };
        String message = kind == ProviderException.Kind.BAD_REQUEST ? (detail.isBlank() ? "HTTP " + status : detail)
                : "HTTP " + status + suffix;
        return new ProviderException(kind, provider, message, status, detail);
    }

    /**
     * One attempt, and one more if the connection failed before any answer: a pooled connection the provider had
     * already closed fails that way ("header parser received no bytes"); the official SDKs retry connection errors
     * too. Time-outs are not retried (the provider may still be working on the request), nor a body that passed its
     * limit ({@link TooLarge}).
     */
    private HttpResponse<InputStream> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof TooLarge || e.getCause() instanceof TooLarge) {
                throw e;
            }
            LOG.debug("retrying once after {}", e.getClass().getSimpleName());
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }
    }

    private List<String> secrets() {
        return settings.secret().isEmpty() ? List.of() : List.of(settings.secret());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Chat's face: one provider, ProviderExceptions

    /** POSTs JSON and returns the parsed JSON answer; {@code model} names the model in a not-found error. */
    JsonNode postJson(URI uri, Map<String, String> headers, JsonNode body, String model, List<String> available)
            throws ProviderException {
        return readJson(send(post(uri, headers, body), model, available), "The AI provider `" + name()
                + "` sent an unreadable answer.");
    }

    /** POSTs JSON and opens the answer as a stream of server-sent events. */
    SseStream postSse(URI uri, Map<String, String> headers, JsonNode body, String model, List<String> available)
            throws ProviderException {
        HttpResponse<InputStream> r = send(post(uri, headers, body), model, available);
        return new SseStream(r.body(), name(), settings.idleTimeout());
    }

    /** GETs JSON (model lists, probes) with its own timeout. */
    JsonNode getJson(URI uri, Map<String, String> headers, Duration timeout) throws ProviderException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(b::header);
        return readJson(send(b.build(), "", List.of()), "unreadable answer");
    }

    private JsonNode readJson(HttpResponse<InputStream> r, String unreadable) throws ProviderException {
        try (InputStream in = new Limited(r.body(), MAX_JSON_BYTES, name())) {
            return Json.mapper().readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), unreadable);
        }
    }

    private HttpRequest post(URI uri, Map<String, String> headers, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(json(body));
        headers.forEach(b::header);
        return b.build();
    }

    private HttpResponse<InputStream> send(HttpRequest request, String model, List<String> available)
            throws ProviderException {
        try {
            return exchange(name(), request, secrets());
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.MODEL_NOT_FOUND) {
                String suffix = e.detail().isBlank() ? "" : ": " + e.detail();
                throw new ProviderException(e.kind(), name(), "The AI provider `" + name()
                        + "` does not know the model `" + model + "`" + suffix + ". Available models: "
                        + String.join(", ", available), e.status(), e.detail());
            }
            throw e;
        }
    }

    /** Removes the configured key and anything that looks like a key. */
    String scrub(String text) {
        return redact(text, secrets());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The media services' face: the provider named with each call, driver errors

    /**
     * A request with the time-out. Plain-http servers (local model servers) are spoken to in HTTP/1.1: the client
     * would otherwise offer an h2c upgrade, which some of them mishandle.
     */
    public HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout());
        return url.startsWith("http://") ? b.version(HttpClient.Version.HTTP_1_1) : b;
    }

    /** A JSON request body. */
    public static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body));
    }

    /**
     * Sends, and answers the body as a stream when the provider succeeded; any failure is a driver error.
     *
     * @param secrets the keys the request carries, removed from any message
     */
    public HttpResponse<InputStream> send(String provider, HttpRequest request, List<String> secrets) {
        try {
            return exchange(provider, request, secrets);
        } catch (ProviderException e) {
            throw driverError(e);
        }
    }

    /** Sends and parses a JSON answer of at most {@link #MAX_JSON_BYTES}. */
    public JsonNode sendJson(String provider, HttpRequest request, List<String> secrets) {
        HttpResponse<InputStream> response = send(provider, request, secrets);
        try (InputStream in = new Limited(response.body(), MAX_JSON_BYTES, provider)) {
            return Json.mapper().readTree(in);
        } catch (IOException | UncheckedIOException e) {
            throw badAnswer(provider);
        } catch (RuntimeException e) {
            if (e instanceof ApiError) {
                throw e;
            }
            throw badAnswer(provider);
        }
    }

    /** Reads an answer as text, at most {@link #MAX_JSON_BYTES}. */
    public String sendText(String provider, HttpRequest request, List<String> secrets) {
        HttpResponse<InputStream> response = send(provider, request, secrets);
        try (InputStream in = new Limited(response.body(), MAX_JSON_BYTES, provider)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw badAnswer(provider);
        }
    }

    /** A provider failure as a driver error (spec 1.6 codes where one fits). */
    static ApiError driverError(ProviderException e) {
        String provider = e.provider();
        return switch (e.kind()) {
            case AUTH -> ApiError.of(502, "provider_auth_failed", "The `" + provider
                    + "` provider refused Hearth's credentials; the operator should check its API key.")
                    .with("delegate", provider);
            case RATE_LIMITED -> ApiError.of(429, "too_many_requests", "Too many requests.").with("delegate", provider)
                    .with("detail", "The `" + provider + "` provider is rate limiting or out of quota; try again later.");
            case BAD_REQUEST, MODEL_NOT_FOUND -> ApiError.of(400, "error_400_from_delegate", "Error 400 from delegate `"
                    + provider + "`: " + (e.detail().isBlank() ? "HTTP " + e.status() : e.detail()))
                    .with("delegate", provider);
            case TIMEOUT -> e.status() == 0 ? ApiError.of(504, "provider_timeout", "The `" + provider
                    + "` provider did not answer in time.").with("delegate", provider) : failed(provider, e.status());
            case UNAVAILABLE -> e.status() == 0 ? ApiError.of(502, "provider_unreachable", "The `" + provider
                    + "` provider could not be reached.").with("delegate", provider) : failed(provider, e.status());
        };
    }

    private static ApiError failed(String provider, int status) {
        return ApiError.of(502, "provider_error", "The `" + provider + "` provider failed (HTTP " + status + ").")
                .with("delegate", provider);
    }

    /** The driver error for an answer Hearth cannot read. */
    public static ApiError badAnswer(String provider) {
        return ApiError.of(502, "provider_error", "The `" + provider + "` provider sent an answer Hearth cannot read.")
                .with("delegate", provider);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration sections, messages and keys

    /** A provider section's key: {@code apiKey}, else the deprecated {@code secret_key}, else {@code api_key}. */
    public static Optional<String> apiKey(JsonNode section) {
        return firstText(section, "apiKey", "secret_key", "api_key");
    }

    /**
     * A provider section's endpoint, unchecked: {@code baseUrl}, {@code apiBaseUrl}, {@code api_base_url} or
     * {@code base_url} (upstream spells it differently per provider; Hearth accepts every spelling everywhere).
     *
     * @return the key that held it and its value
     */
    public static Optional<Map.Entry<String, String>> baseUrl(JsonNode section) {
        for (String f : List.of("baseUrl", "apiBaseUrl", "api_base_url", "base_url")) {
            Optional<String> v = firstText(section, f);
            if (v.isPresent()) {
                return Optional.of(Map.entry(f, v.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstText(JsonNode section, String... keys) {
        for (String k : keys) {
            JsonNode n = section.get(k);
            if (n != null && n.isString() && !n.asString().isBlank()) {
                return Optional.of(n.asString().strip());
            }
        }
        return Optional.empty();
    }

    /**
     * The human part of an error body: {@code error.message} (OpenAI, Gemini, Mistral, Anthropic), {@code error},
     * {@code message} or {@code detail}, else the text itself (abbreviated).
     */
    static String providerMessage(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            JsonNode error = n.path("error");
            if (error.path("message").isString()) {
                return error.get("message").asString();
            }
            if (error.isString()) {
                return error.asString();
            }
            if (n.path("message").isString()) {
                return n.get("message").asString();
            }
            if (n.has("detail")) {
                return n.get("detail").isString() ? n.get("detail").asString() : n.get("detail").toString();
            }
        } catch (RuntimeException e) {
            // not JSON: the text itself
        }
        String text = body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Removes the {@code secrets} (those of four characters or more) and anything that looks like a key. */
    static String redact(String text, Collection<String> secrets) {
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "[redacted]");
            }
        }
        return KEY_LIKE.matcher(out).replaceAll("[redacted]");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bounded streams

    /** Fails reading past {@code max} bytes ({@link TooLarge}), so that no answer or upload is held beyond its limit. */
    public static final class Limited extends FilterInputStream {
        private final long max;
        private final String what;
        private long count;

        /** @param what names the stream in the failure, e.g. {@code the audio} */
        public Limited(InputStream in, long max, String what) {
            super(in);
            this.max = max;
            this.what = what;
        }

        /** The bytes read so far. */
        public long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new TooLarge(what, max);
            }
        }
    }

    /** Thrown by {@link Limited}; callers turn it into {@code file_too_large} or a provider error. */
    public static final class TooLarge extends IOException {
        TooLarge(String what, long max) {
            super(what + " is larger than " + max + " bytes");
        }
    }

    /** Reads a whole small stream (a provider's bounded answer, a data URL's bytes), at most {@code max} bytes. */
    public static byte[] readAll(InputStream in, long max, String what) throws IOException {
        return new Limited(in, max, what).readAllBytes();
    }
}

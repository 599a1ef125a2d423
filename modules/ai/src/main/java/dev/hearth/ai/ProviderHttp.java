package dev.hearth.ai;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * HTTP for one provider over the JDK's client: JSON requests, JSON or server-sent-event responses, and refusals
 * turned into {@link ProviderException}s by status (401/403 auth, 404 model not found, 429 rate limited, 400/422
 * the caller's error, other failures transient). The provider's credentials never reach a message: the configured
 * key and anything shaped like a key are masked.
 *
 * <p>Package-private and provider-neutral, so that image, speech and OCR providers can use it too.
 */
final class ProviderHttp {

    private static final Pattern KEY_LIKE = Pattern.compile("(sk|pk|rk|gsk|xai|AIza)[-_A-Za-z0-9]{8,}");
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    /**
     * @param name the provider's name, in messages
     * @param requestTimeout how long a request may wait for the response's head
     * @param idleTimeout how long a stream may stay silent
     * @param secret the key to mask in messages (may be empty)
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

    String name() {
        return settings.name();
    }

    /** POSTs JSON and returns the parsed JSON answer; {@code model} names the model in a not-found error. */
    JsonNode postJson(URI uri, Map<String, String> headers, JsonNode body, String model, List<String> available)
            throws ProviderException {
        HttpResponse<InputStream> r = send(post(uri, headers, body), model, available);
        try (InputStream in = r.body()) {
            return Json.mapper().readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `" + name()
                    + "` sent an unreadable answer.");
        }
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
        HttpResponse<InputStream> r = send(b.build(), "", List.of());
        try (InputStream in = r.body()) {
            return Json.mapper().readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "unreadable answer");
        }
    }

    private HttpRequest post(URI uri, Map<String, String> headers, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
        headers.forEach(b::header);
        return b.build();
    }

    private HttpResponse<InputStream> send(HttpRequest request, String model, List<String> available)
            throws ProviderException {
        HttpResponse<InputStream> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ProviderException(ProviderException.Kind.TIMEOUT, name(), "The AI provider `" + name()
                    + "` did not answer within " + settings.requestTimeout().toSeconds() + " s.");
        } catch (ConnectException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `" + name()
                    + "` could not be reached.");
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The connection to the AI "
                    + "provider `" + name() + "` failed: " + scrub(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "interrupted");
        }
        int status = r.statusCode();
        if (status < 400) {
            return r;
        }
        String detail;
        try (InputStream in = r.body()) {
            detail = errorMessage(new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            detail = "";
        }
        detail = scrub(detail);
        String suffix = detail.isBlank() ? "" : ": " + detail;
        throw switch (status) {
            case 401, 403 -> new ProviderException(ProviderException.Kind.AUTH, name(), "HTTP " + status + suffix);
            case 404 -> new ProviderException(ProviderException.Kind.MODEL_NOT_FOUND, name(), "The AI provider `"
                    + name() + "` does not know the model `" + model + "`" + suffix + ". Available models: "
                    + String.join(", ", available));
            case 408, 504 -> new ProviderException(ProviderException.Kind.TIMEOUT, name(), "HTTP " + status + suffix);
            case 429 -> new ProviderException(ProviderException.Kind.RATE_LIMITED, name(), "HTTP 429" + suffix);
            case 400, 413, 422 -> new ProviderException(ProviderException.Kind.BAD_REQUEST, name(),
                    detail.isBlank() ? "HTTP " + status : detail);
            default -> new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "HTTP " + status + suffix);
        };
    }

    /** The human part of an error body: {@code error.message}, {@code error} or {@code message}, else the text. */
    static String errorMessage(String body) {
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
        } catch (RuntimeException e) {
            // not JSON: the text itself
        }
        String text = body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Masks the configured key and anything that looks like a key. */
    String scrub(String text) {
        String out = text;
        if (!settings.secret().isEmpty()) {
            out = out.replace(settings.secret(), "***");
        }
        return KEY_LIKE.matcher(out).replaceAll("***");
    }
}

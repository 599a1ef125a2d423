package dev.hearth.ai.media;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * The media providers' HTTP client: one {@link HttpClient} per service, a request timeout on every call, bounded
 * reads of JSON answers, and one mapping of provider failures to driver errors. Provider messages are passed on only
 * for client mistakes (400), with any secret the provider echoed removed; authentication failures never carry the
 * provider's text, which often quotes the key. (Package-private: chat has its own; they will be unified.)
 */
final class ProviderHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);

    /** Keys that providers echo in their messages: OpenAI's {@code sk-…}, Google's {@code AIza…}, bearer tokens. */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(sk-[A-Za-z0-9_*\\-]{4,}|AIza[0-9A-Za-z_\\-]{10,}|(?i:bearer)\\s+[A-Za-z0-9._\\-]{8,})");

    /** JSON answers larger than this are refused: a generated image in base64 is well under it. */
    static final long MAX_JSON_BYTES = 64L << 20;

    private final HttpClient client;
    private final Duration requestTimeout;

    ProviderHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * A request with the time-out. Plain-http servers (local model servers) are spoken to in HTTP/1.1: the client
     * would otherwise offer an h2c upgrade, which some of them mishandle.
     */
    HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout);
        return url.startsWith("http://") ? b.version(HttpClient.Version.HTTP_1_1) : b;
    }

    static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body));
    }

    /** Sends, and answers the body as a stream when the provider succeeded; any failure is a driver error. */
    HttpResponse<InputStream> send(String provider, HttpRequest request, List<String> secrets) {
        HttpResponse<InputStream> response;
        try {
            response = sendOnce(request);
        } catch (HttpTimeoutException e) {
            LOG.warn("{}: no answer within the timeout ({})", provider, request.uri().getHost());
            throw timeout(provider);
        } catch (IOException e) {
            LOG.warn("{}: request to {} failed: {}: {}", provider, request.uri().getHost(), e.getClass().getSimpleName(),
                    redact(String.valueOf(e.getMessage()), List.of()));
            throw unreachable(provider);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(provider);
        }
        if (response.statusCode() / 100 != 2) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw failure(provider, response.statusCode(), body, secrets);
        }
        return response;
    }

    /**
     * One attempt, and one more if the connection failed before any answer: a pooled connection the provider had
     * already closed fails that way ("header parser received no bytes"). The official SDKs retry connection errors
     * too. Time-outs are not retried: the provider may still be working on the request.
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

    /** Sends and parses a JSON answer of at most {@link #MAX_JSON_BYTES}. */
    JsonNode sendJson(String provider, HttpRequest request, List<String> secrets) {
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
    String sendText(String provider, HttpRequest request, List<String> secrets) {
        HttpResponse<InputStream> response = send(provider, request, secrets);
        try (InputStream in = new Limited(response.body(), MAX_JSON_BYTES, provider)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw badAnswer(provider);
        }
    }

    /** A provider's refusal as a driver error (spec 1.6 codes where one fits). */
    static ApiError failure(String provider, int status, String body, List<String> secrets) {
        String message = redact(providerMessage(body), secrets);
        boolean keyInvalid = body.contains("API_KEY_INVALID") || body.contains("invalid_api_key");
        LOG.warn("{} answered HTTP {}{}", provider, status, status == 401 || status == 403 || keyInvalid ? ""
                : ": " + abbreviate(message));
        if (status == 401 || status == 403 || keyInvalid) {
            return ApiError.of(502, "provider_auth_failed", "The `" + provider
                    + "` provider refused Hearth's credentials; the operator should check its API key.")
                    .with("delegate", provider);
        }
        if (status == 429) {
            return ApiError.of(429, "too_many_requests", "Too many requests.").with("delegate", provider)
                    .with("detail", "The `" + provider + "` provider is rate limiting or out of quota; try again later.");
        }
        if (status == 400 || status == 404 || status == 413 || status == 422) {
            return ApiError.of(400, "error_400_from_delegate", "Error 400 from delegate `" + provider + "`: "
                    + (message.isBlank() ? "HTTP " + status : message)).with("delegate", provider);
        }
        return ApiError.of(502, "provider_error", "The `" + provider + "` provider failed (HTTP " + status + ").")
                .with("delegate", provider);
    }

    static ApiError timeout(String provider) {
        return ApiError.of(504, "provider_timeout", "The `" + provider + "` provider did not answer in time.")
                .with("delegate", provider);
    }

    static ApiError unreachable(String provider) {
        return ApiError.of(502, "provider_unreachable", "The `" + provider + "` provider could not be reached.")
                .with("delegate", provider);
    }

    static ApiError badAnswer(String provider) {
        return ApiError.of(502, "provider_error", "The `" + provider + "` provider sent an answer Hearth cannot read.")
                .with("delegate", provider);
    }

    /** The {@code error.message} of OpenAI, Gemini and Mistral error bodies, else the text itself. */
    static String providerMessage(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            JsonNode error = n.get("error");
            if (error != null && error.isObject() && error.get("message") != null) {
                return error.get("message").asString();
            }
            if (error != null && error.isString()) {
                return error.asString();
            }
            if (n.get("message") != null && n.get("message").isString()) {
                return n.get("message").asString();
            }
            if (n.get("detail") != null) {
                return n.get("detail").isString() ? n.get("detail").asString() : n.get("detail").toString();
            }
        } catch (RuntimeException notJson) {
            // a plain-text error
        }
        return abbreviate(body.strip());
    }

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "[redacted]");
            }
        }
        return KEY_LIKE.matcher(out).replaceAll("[redacted]");
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).strip();
    }

    /** Fails reading past {@code max} bytes, so that no answer or upload is held beyond its limit. */
    static final class Limited extends FilterInputStream {
        private final long max;
        private final String what;
        private long count;

        Limited(InputStream in, long max, String what) {
            super(in);
            this.max = max;
            this.what = what;
        }

        long count() {
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
    static final class TooLarge extends IOException {
        final long max;

        TooLarge(String what, long max) {
            super(what + " is larger than " + max + " bytes");
            this.max = max;
        }
    }

    static ApiError fileTooLarge(long max) {
        return ApiError.of(413, "file_too_large", "File too large. Max size is " + max + " bytes.").with("max_size", max);
    }

    /** Reads a whole small stream (a provider's bounded answer, a data URL's bytes). */
    static byte[] readAll(InputStream in, long max, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Limited(in, max, what).transferTo(out);
        return out.toByteArray();
    }
}

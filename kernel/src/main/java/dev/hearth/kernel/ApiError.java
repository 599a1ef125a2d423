package dev.hearth.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error a client is meant to see: an HTTP status, a stable machine-readable {@code code}, a message, and
 * optional extra fields. Domain code throws it without knowing about HTTP; the web module writes it as Puter's
 * JSON error body, {@code {"message": ..., <fields>..., "code": ...}}; drivers and WebDAV map it their way.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> fields;

    private ApiError(int status, String code, String message, Map<String, Object> fields) {
        super(message, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code);
        this.fields = fields;
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, Map.of());
    }

    /** The same error with one more field in its body. */
    public ApiError with(String field, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(fields);
        more.put(field, value);
        return new ApiError(status, code, getMessage(), Collections.unmodifiableMap(more));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The extra fields, in the order they were added. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The body as clients see it: {@code message}, then the extra fields, then {@code code}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", getMessage());
        body.putAll(fields);
        body.put("code", code);
        return body;
    }

    // The vocabulary shared by every module. Messages are the contract's, word for word.

    public static ApiError notFound() {
        return of(404, "not_found", "Not Found");
    }

    public static ApiError badRequest(String message) {
        return of(400, "bad_request", message);
    }

    public static ApiError fieldMissing(String key) {
        return of(400, "field_missing", "Field `" + key + "` is required.").with("key", key);
    }

    public static ApiError fieldInvalid(String key, String expected, Object got) {
        return of(400, "field_invalid", "Field `" + key + "` is invalid."
                + (expected == null ? "" : " Expected " + expected + ".")
                + (got == null ? "" : " Got " + got + "."))
                .with("key", key);
    }

    public static ApiError tokenMissing() {
        return of(401, "token_missing", "Missing authentication token.");
    }

    public static ApiError tokenAuthFailed() {
        return of(401, "token_auth_failed", "Authentication failed.");
    }

    public static ApiError forbidden() {
        return of(403, "forbidden", "Permission denied.");
    }

    public static ApiError permissionDenied(String permission) {
        return of(403, "permission_denied", "Permission denied.").with("permission", permission);
    }

    public static ApiError payloadTooLarge(long limit) {
        return of(413, "payload_too_large", "The request body is larger than the limit of " + limit + " bytes.");
    }

    public static ApiError tooManyRequests(long retryAfterSeconds) {
        return of(429, "too_many_requests", "Too many requests.").with("retry_after", retryAfterSeconds);
    }

    public static ApiError internal(String requestId) {
        return of(500, "internal_error", "An internal error occurred.").with("request_id", requestId);
    }

    public static ApiError unavailable(String message) {
        return of(503, "service_unavailable", message);
    }
}

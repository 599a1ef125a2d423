package dev.hearth.drivers;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.hearth.kernel.ApiError;

/**
 * The errors of the driver layer (spec 1.6), word for word, and their serialisation inside the error envelope:
 * an {@link ApiError} becomes {@code {<fields>..., "code", "$": "heyputer:api/APIError", "message", "status"}}, a
 * {@link DriverError} its bare message.
 */
public final class DriverErrors {

    private DriverErrors() {}

    public static ApiError missingRequiredArgument(String iface, String method, String arg) {
        return ApiError.of(400, "missing_required_argument", "Missing required argument `" + arg + "` for method `"
                        + method + "` on interface `" + iface + "`")
                .with("interface_name", iface).with("method_name", method).with("arg_name", arg);
    }

    public static ApiError argumentConsolidationFailed(String iface, String method, String arg, String inner) {
        return ApiError.of(400, "argument_consolidation_failed", "Failed to parse or process argument `" + arg
                        + "` for method `" + method + "` on interface `" + iface + "`: " + inner)
                .with("interface_name", iface).with("method_name", method).with("arg_name", arg);
    }

    public static ApiError interfaceNotFound(String iface) {
        return ApiError.of(404, "interface_not_found", "Interface not found: `" + iface + "`")
                .with("interface_name", iface);
    }

    public static ApiError methodNotFound(String iface, String method) {
        return ApiError.of(404, "method_not_found", "Method not found: `" + method + "` on interface `" + iface + "`")
                .with("interface_name", iface).with("method_name", method);
    }

    public static ApiError noImplementationAvailable(String iface) {
        return ApiError.of(502, "no_implementation_available",
                "No implementation available for interface `" + iface + "`.").with("iface", iface);
    }

    /** {@code field_empty}: a required value is the empty string. */
    public static ApiError fieldEmpty(String key) {
        return ApiError.of(400, "field_empty", "Field `" + key + "` is required.").with("key", key);
    }

    public static ApiError rateLimitExceeded(String methodName, RateLimit limit) {
        Map<String, Object> rate = new LinkedHashMap<>();
        rate.put("max", limit.max());
        rate.put("period", limit.periodMillis());
        return ApiError.of(429, "rate_limit_exceeded", "Rate limit exceeded for method `" + methodName + "`: "
                        + limit.max() + " requests per " + limit.periodMillis() + "ms.")
                .with("method_name", methodName).with("rate_limit", rate);
    }

    /** The serialized form of an {@link ApiError} inside the envelope. */
    public static Map<String, Object> serialize(ApiError e) {
        Map<String, Object> out = new LinkedHashMap<>(e.fields());
        out.remove("message");
        // Upstream builds argument errors with the message among their fields, so it comes before the code there
        // (examples.md 3.33, 3.34); every other error has it after the `$`.
        boolean messageFirst = e.code().equals("argument_consolidation_failed");
        if (messageFirst) {
            out.put("message", e.getMessage());
        }
        out.put("code", e.code());
        out.put("$", "heyputer:api/APIError");
        if (!messageFirst) {
            out.put("message", e.getMessage());
        }
        out.put("status", e.status());
        return out;
    }
}

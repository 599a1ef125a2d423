package dev.hearth.drivers;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.kernel.ApiError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/** Argument processing (spec 1.3): declared parameters only, each consolidated by its type. */
final class ArgumentTypes {

    private ArgumentTypes() {}

    static Args process(InterfaceSpec iface, MethodSpec method, JsonNode args, Actor actor,
            List<DriverFileResolver> resolvers) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : method.parameters()) {
            JsonNode value = args != null && args.isObject() ? args.get(p.name()) : null;
            if (value == null && p.required()) {
                throw DriverErrors.missingRequiredArgument(iface.name(), method.name(), p.name());
            }
            Object consolidated;
            try {
                consolidated = consolidate(p, value, actor, resolvers);
            } catch (ApiError e) {
                throw DriverErrors.argumentConsolidationFailed(iface.name(), method.name(), p.name(), e.getMessage());
            }
            if (consolidated != null) {
                out.put(p.name(), consolidated);
            }
        }
        return Args.of(out);
    }

    static Object consolidate(Param p, JsonNode value, Actor actor, List<DriverFileResolver> resolvers) {
        return switch (p.type()) {
            case STRING -> value == null || value.isNull() ? null : jsString(value);
            case FLAG -> truthy(value);
            case NUMBER -> {
                if (value == null || value.isNull() && p.nullIsAbsent()) {
                    yield null;
                }
                if (!value.isNumber()) {
                    throw ApiError.fieldInvalid(p.name(), "number", null);
                }
                if (p.unsigned() && value.decimalValue().signum() < 0) {
                    throw ApiError.fieldInvalid(p.name(), "unsigned number", null);
                }
                yield value;
            }
            case JSON -> {
                if (value == null) {
                    yield null;
                }
                if (p.subtype().isPresent() && !value.isNull() && !jsonType(value).equals(p.subtype().get())) {
                    throw ApiError.fieldInvalid(p.name(), "JSON value of type " + p.subtype().get(),
                            "JSON value of type " + jsonType(value));
                }
                yield value;
            }
            case FILE -> value == null || value.isNull() ? null : file(p, value, actor, resolvers);
        };
    }

    private static DriverFile file(Param p, JsonNode value, Actor actor, List<DriverFileResolver> resolvers) {
        if (value instanceof POJONode pojo && pojo.getPojo() instanceof DriverFile f) {
            return f;
        }
        if (!value.isString()) {
            throw ApiError.fieldInvalid(p.name(), "unix-style path or UUID", null);
        }
        String ref = value.asString();
        if (ref.regionMatches(true, 0, "data:", 0, 5)) {
            return dataUrl(p, ref);
        }
        for (DriverFileResolver r : resolvers) {
            Optional<DriverFile> f = r.resolve(actor, ref);
            if (f.isPresent()) {
                return f.get();
            }
        }
        throw ApiError.fieldInvalid(p.name(), "unix-style path or UUID", null);
    }

    private static DriverFile dataUrl(Param p, String url) {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw ApiError.fieldInvalid(p.name(), "a data URL", null);
        }
        String meta = url.substring(5, comma);
        String type = meta.split(";", 2)[0];
        byte[] bytes;
        try {
            bytes = meta.toLowerCase(Locale.ROOT).endsWith(";base64")
                    ? Base64.getMimeDecoder().decode(url.substring(comma + 1))
                    : java.net.URLDecoder.decode(url.substring(comma + 1), java.nio.charset.StandardCharsets.UTF_8)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.fieldInvalid(p.name(), "a data URL", null);
        }
        return new DriverFile() {
            @Override
            public Optional<String> contentType() {
                return type.isEmpty() ? Optional.empty() : Optional.of(type);
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.of(bytes.length);
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    static String jsonType(JsonNode v) {
        if (v.isArray()) {
            return "array";
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isString()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return v.isNull() ? "null" : "unknown";
    }

    /** JavaScript's truthiness of a JSON value; absent is false. */
    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (v.isString()) {
            return !v.asString().isEmpty();
        }
        return true;
    }

    /** JavaScript's {@code String(value)} of a JSON value. */
    static String jsString(JsonNode v) {
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber()) {
            return jsNumber(v);
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                JsonNode e = v.get(i);
                if (!e.isNull()) {
                    sb.append(jsString(e));
                }
            }
            return sb.toString();
        }
        return "[object Object]";
    }

    static String jsNumber(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        double d = v.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toPlainString();
        }
        String s = Double.toString(d);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exp = Integer.parseInt(parts[1]);
            return mantissa + "e" + (exp > 0 ? "+" : "") + exp;
        }
        return s;
    }
}

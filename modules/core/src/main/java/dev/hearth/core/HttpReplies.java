package dev.hearth.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.hearth.kernel.ApiError;
import dev.hearth.web.Response;

/** The reply shapes the accounts endpoints share: legacy text bodies, the session cookie, {@code 429}. */
final class HttpReplies {

    private HttpReplies() {}

    /** A legacy plain-text answer, as upstream sends it ({@code text/html}, which the GUI shows as text). */
    static void text(Response res, int status, String text) {
        res.status(status).bytes("text/html; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 429 {"message":"Too many requests.","code":"too_many_requests"}} with {@code Retry-After} (seconds). */
    static void tooManyRequests(Response res, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        res.status(429).header("Retry-After", Long.toString(seconds))
                .json(ApiError.of(429, "too_many_requests", "Too many requests.").body());
    }

    /** Sets the session cookie: HttpOnly, {@code Secure; SameSite=None} over https, {@code SameSite=Lax} over http. */
    static void setSessionCookie(Response res, String name, String token, boolean https) {
        res.addHeader("Set-Cookie", name + "=" + token + "; Path=/; HttpOnly"
                + (https ? "; Secure; SameSite=None" : "; SameSite=Lax"));
    }

    static void clearCookie(Response res, String name) {
        res.addHeader("Set-Cookie", name + "=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }

    /** A JSON object built in order. */
    static Map<String, Object> object(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}

package dev.hearth.ai;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * {@code services.ai-chat} (the provider sections are read by {@link ChatProviders}; the monthly allowance is the
 * drivers module's {@code Allowance}, configured in {@code extensions.metering}).
 *
 * @param moderation {@code off} (the default) or {@code openai} (OpenAI's moderation endpoint, with the OpenAI
 *                   provider's key); flagged prompts fail with {@code moderation_failed}
 * @param disableFallback never try another provider of the same model after a transient failure
 * @param maxAttempts providers tried at most for one request (first included)
 * @param concurrentRequests chats one user may run at once
 */
record AiChatSettings(String moderation,
        @JsonProperty("disable_fallback_mechanisms") Boolean disableFallback,
        @JsonProperty("max_attempts") Integer maxAttempts,
        @JsonProperty("concurrentRequests") Concurrency concurrentRequests,
        @JsonProperty("request_timeout_seconds") Integer requestTimeoutSeconds,
        @JsonProperty("connect_timeout_seconds") Integer connectTimeoutSeconds,
        @JsonProperty("stream_idle_timeout_seconds") Integer streamIdleTimeoutSeconds) {

    /**
     * @param limit chats at once per user
     * @param tempLimit the same for guests
     */
    record Concurrency(Integer limit, @JsonProperty("temp_limit") Integer tempLimit) {
        Concurrency {
            limit = limit == null ? 5 : limit;
            tempLimit = tempLimit == null ? 3 : tempLimit;
            if (limit < 1) {
                throw ConfigException.invalid("limit", limit, "1 or more");
            }
            if (tempLimit < 1) {
                throw ConfigException.invalid("temp_limit", tempLimit, "1 or more");
            }
        }
    }

    AiChatSettings {
        moderation = moderation == null ? "off" : moderation;
        if (!moderation.equals("off") && !moderation.equals("openai")) {
            throw ConfigException.invalid("moderation", moderation, "`off` or `openai`");
        }
        disableFallback = disableFallback != null && disableFallback;
        maxAttempts = maxAttempts == null ? 4 : maxAttempts;
        if (maxAttempts < 1) {
            throw ConfigException.invalid("max_attempts", maxAttempts, "1 or more");
        }
        concurrentRequests = concurrentRequests == null ? new Concurrency(null, null) : concurrentRequests;
        requestTimeoutSeconds = positive(requestTimeoutSeconds, 600, "request_timeout_seconds");
        connectTimeoutSeconds = positive(connectTimeoutSeconds, 10, "connect_timeout_seconds");
        streamIdleTimeoutSeconds = positive(streamIdleTimeoutSeconds, 120, "stream_idle_timeout_seconds");
    }

    private static int positive(Integer value, int otherwise, String key) {
        if (value == null) {
            return otherwise;
        }
        if (value < 1) {
            throw ConfigException.invalid(key, value, "1 or more seconds");
        }
        return value;
    }
}

package dev.hearth.ai;

/**
 * The application event {@code ai.prompt.complete} (spec 4.9), raised after every chat that a provider answered,
 * streamed ones included (once the stream ended).
 *
 * @param username the user who asked (empty for the system)
 * @param serviceUsed the provider that answered
 * @param modelUsed the provider's model id
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param costMicrocents what it cost at the model's prices, in µ¢
 */
public record PromptCompleted(String username, String serviceUsed, String modelUsed, long inputTokens,
        long outputTokens, long costMicrocents) {

    public static final String EVENT = "ai.prompt.complete";
}

package dev.hearth.ai.media;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.SystemActor;
import dev.hearth.drivers.Allowance;
import dev.hearth.drivers.Metering;

/**
 * Usage and the monthly allowance for the media drivers (spec §6). Each call records its units under the spec's usage
 * type ({@code openai:tts-1:character}, {@code openai:whisper-1:second}, {@code aws-textract:…:page}…) and its cost in
 * µ¢ with the drivers module's {@link Allowance} under {@code ai-media:microcents} (both once more under
 * {@code app:<uid>:…} for calls an app makes). Before a paid call, the one monthly allowance (chat's spending
 * included) must leave room for the call's estimated cost, else {@code insufficient_funds} (402,
 * {@code usage-limited-media}), which puter.js turns into its upgrade prompt. Local engines cost nothing.
 */
final class MediaMeter {

    private static final Logger LOG = LoggerFactory.getLogger(MediaMeter.class);

    /** What media calls cost is charged to the allowance under {@code ai-media:microcents}. */
    static final String COST_SOURCE = "ai-media";

    /** µ¢ per unit (spec §6 where it lists one; provider list prices otherwise). */
    static final Map<String, Long> COSTS = Map.ofEntries(
            Map.entry("openai:gpt-4o-mini-tts:character", 1_500L), Map.entry("openai:tts-1:character", 1_500L),
            Map.entry("openai:tts-1-hd:character", 3_000L),
            Map.entry("openai:whisper-1:second", 10_000L), Map.entry("openai:gpt-4o-mini-transcribe:second", 5_000L),
            Map.entry("openai:gpt-4o-transcribe:second", 10_000L),
            Map.entry("openai:gpt-4o-transcribe-diarize:second", 10_000L),
            Map.entry("aws-textract:detect-document-text:page", 150_000L),
            Map.entry("mistral:mistral-ocr-latest:page", 100_000L),
            Map.entry("openai:dall-e-2:image", 2_000_000L), Map.entry("openai:dall-e-3:image", 4_000_000L),
            Map.entry("openai:dall-e-3:hd:image", 8_000_000L),
            Map.entry("openai:gpt-image-1:low:image", 1_100_000L),
            Map.entry("openai:gpt-image-1:medium:image", 4_200_000L),
            Map.entry("openai:gpt-image-1:high:image", 16_700_000L),
            Map.entry("openai:gpt-image-1-mini:low:image", 500_000L),
            Map.entry("openai:gpt-image-1-mini:medium:image", 1_100_000L),
            Map.entry("openai:gpt-image-1-mini:high:image", 3_600_000L),
            Map.entry("gemini:gemini-2.5-flash-image:image", 3_900_000L),
            Map.entry("gemini:gemini-2.5-flash-image-preview:image", 3_900_000L),
            Map.entry("gemini:gemini-3-pro-image-preview:image", 13_400_000L));

    private final Metering metering;
    private final Allowance allowance;

    MediaMeter(Metering metering, Allowance allowance) {
        this.metering = metering;
        this.allowance = allowance;
    }

    /** The cost of {@code units} of {@code usageType}, in µ¢ (an unknown type costs nothing, as upstream). */
    static long cost(String usageType, long units) {
        return COSTS.getOrDefault(usageType, 0L) * Math.max(units, 0);
    }

    /** Fails with {@code insufficient_funds} unless the actor's user can pay {@code units} of {@code usageType}. */
    void check(Actor actor, String usageType, long units) {
        allowance.check(actor, cost(usageType, units), "usage-limited-media");
    }

    /** Records a call's usage and its cost; metering failures are logged, never fail a call that succeeded. */
    void record(Actor actor, String usageType, long units) {
        if (actor instanceof SystemActor) {
            return;
        }
        try {
            metering.record(actor, usageType, Math.max(units, 1));
            if (actor instanceof AppUnderUserActor app) {
                metering.record(actor, "app:" + app.appUid() + ":" + usageType, Math.max(units, 1));
            }
        } catch (RuntimeException e) {
            LOG.warn("metering {} failed: {}", usageType, e.getMessage());
        }
        allowance.charge(actor, COST_SOURCE, cost(usageType, units));
    }
}

package dev.hearth.ai.media;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.SystemActor;
import dev.hearth.core.User;
import dev.hearth.drivers.Metering;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import tools.jackson.databind.JsonNode;

/**
 * Usage and the monthly allowance for the media drivers (spec §6). Each call records its units under the spec's usage
 * type ({@code openai:tts-1:character}, {@code openai:whisper-1:second}, {@code aws-textract:…:page}…) and its cost in
 * µ¢ under {@link #COST_USAGE_TYPE} (and once more under {@code app:<uid>:…} for calls an app makes), through the drivers
 * module's {@link Metering}. Before a paid call, what the user has spent this month on anything that records a cost
 * (any usage type ending in {@code :microcents}, chat's included) must leave room for the call's estimated cost, else
 * {@code insufficient_funds} (402), which puter.js turns into its upgrade prompt. Local engines cost nothing.
 *
 * <p>Configuration: {@code extensions.metering} ({@code unlimitedUsage}, {@code unlimitedAllowList}, default
 * {@code ["admin"]}, and Hearth's {@code monthly_allowance_microcents}, default 25 000 000 = $0.25).
 */
final class MediaMeter {

    private static final Logger LOG = LoggerFactory.getLogger(MediaMeter.class);

    static final String COST_USAGE_TYPE = "ai-media:microcents";

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
    private final long allowance;
    private final boolean unlimitedUsage;
    private final List<String> unlimitedUsers;

    MediaMeter(Metering metering, Config config) {
        this.metering = metering;
        JsonNode section = config.node("extensions.metering").filter(JsonNode::isObject).orElse(null);
        long allowed = 25_000_000L;
        boolean unlimited = false;
        List<String> users = List.of("admin");
        if (section != null) {
            JsonNode a = section.get("monthly_allowance_microcents");
            if (a != null && !a.isNull()) {
                if (!a.isIntegralNumber() || a.longValue() < 0) {
                    throw dev.hearth.kernel.ConfigException.invalid(
                            "extensions.metering.monthly_allowance_microcents", a.toString(), "0 or more");
                }
                allowed = a.longValue();
            }
            unlimited = section.has("unlimitedUsage") && section.get("unlimitedUsage").asBoolean(false);
            JsonNode list = section.get("unlimitedAllowList");
            if (list != null && list.isArray()) {
                users = new java.util.ArrayList<>();
                for (JsonNode n : list) {
                    users.add(n.asString());
                }
            }
        }
        this.allowance = allowed;
        this.unlimitedUsage = unlimited;
        this.unlimitedUsers = List.copyOf(users);
    }

    /** The cost of {@code units} of {@code usageType}, in µ¢ (an unknown type costs nothing, as upstream). */
    static long cost(String usageType, long units) {
        return COSTS.getOrDefault(usageType, 0L) * Math.max(units, 0);
    }

    /** Fails with {@code insufficient_funds} unless the actor's user can pay {@code units} of {@code usageType}. */
    void check(Actor actor, String usageType, long units) {
        long cost = cost(usageType, units);
        if (cost == 0 || unlimited(actor.actingUser())) {
            return;
        }
        if (remaining(actor) < cost) {
            throw ApiError.of(402, "insufficient_funds", "Available funding is insufficient for this request.")
                    .with("delegate", "usage-limited-media");
        }
    }

    /** What the actor's user has left this month, in µ¢. */
    long remaining(Actor actor) {
        long spent = 0;
        for (Metering.Usage u : metering.usage(actor)) {
            if (u.usageType().endsWith(":microcents") && !u.usageType().startsWith("app:")) {
                spent += u.units();
            }
        }
        return Math.max(0, allowance - spent);
    }

    private boolean unlimited(Optional<User> user) {
        return unlimitedUsage || user.isEmpty() || unlimitedUsers.contains(user.get().username());
    }

    /** Records a call's usage and its cost; metering failures are logged, never fail a call that succeeded. */
    void record(Actor actor, String usageType, long units) {
        if (actor instanceof SystemActor) {
            return;
        }
        try {
            metering.record(actor, usageType, Math.max(units, 1));
            long cost = cost(usageType, units);
            if (cost > 0) {
                metering.record(actor, COST_USAGE_TYPE, cost);
                if (actor instanceof AppUnderUserActor app) {
                    metering.record(actor, "app:" + app.appUid() + ":" + COST_USAGE_TYPE, cost);
                }
            }
            if (actor instanceof AppUnderUserActor app) {
                metering.record(actor, "app:" + app.appUid() + ":" + usageType, Math.max(units, 1));
            }
        } catch (RuntimeException e) {
            LOG.warn("metering {} failed: {}", usageType, e.getMessage());
        }
    }
}

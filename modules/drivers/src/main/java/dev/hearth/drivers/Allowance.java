package dev.hearth.drivers;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.SystemActor;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The monthly allowance (spec 6): one per user and calendar month (UTC), {@code remaining = max(0, allowance −
 * the month's cost)}, whatever the user spent it on. Paid services (chat, images, speech, OCR…) check a call's
 * estimated cost with {@link #check} before calling their provider and record what it cost with {@link #charge}.
 *
 * <p><b>The cost convention.</b> A cost is recorded in the drivers' {@link Metering} as units of a usage type ending in
 * {@value #COST_SUFFIX} (one per paying service: {@code ai-chat:microcents}, {@code ai-media:microcents}); the month's
 * cost is the sum of every such type. A call an app makes is recorded once more under {@code app:<uid>:<type>} for
 * the app's own totals; types starting with {@code app:} are not summed, so the user pays once. Because the sum is
 * read from {@code Metering}, a durable metering service makes the allowance durable too; the in-process one starts
 * again at zero with the server.
 *
 * <p>Configuration: {@code extensions.metering} ({@link MeteringSettings}: {@code unlimitedUsage},
 * {@code unlimitedAllowList}, {@code monthly_allowance_microcents}).
 */
public final class Allowance implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(Allowance.class);

    /** What ends the usage types that hold costs, in µ¢. */
    public static final String COST_SUFFIX = ":microcents";

    private final ServiceContext context;
    private final MeteringSettings settings;
    private volatile Metering metering;

    Allowance(ServiceContext context) {
        this.context = context;
        this.settings = context.config().bind("extensions.metering", MeteringSettings.class);
    }

    @Override
    public void init() {
        metering = context.services().get(Metering.class);
    }

    /** What each user may spend per month, in µ¢. */
    public long monthly() {
        return settings.monthlyAllowanceMicrocents();
    }

    /**
     * Whether the actor spends without an allowance: system actors, actors without a user, the users of
     * {@code unlimitedAllowList}, and everyone when {@code unlimitedUsage} is on.
     */
    public boolean unlimited(Actor actor) {
        return settings.unlimitedUsage() || actor instanceof SystemActor || actor.actingUser().isEmpty()
                || settings.unlimitedAllowList().contains(actor.actingUser().get().username());
    }

    /** What the actor's user spent this month, in µ¢: the sum of the cost usage types (not the {@code app:} ones). */
    public long spent(Actor actor) {
        long spent = 0;
        for (Metering.Usage u : metering.usage(actor)) {
            if (u.usageType().endsWith(COST_SUFFIX) && !u.usageType().startsWith("app:")) {
                spent += u.units();
            }
        }
        return spent;
    }

    /** What the actor's user has left this month, in µ¢ ({@link Long#MAX_VALUE} when {@link #unlimited}). */
    public long remaining(Actor actor) {
        return unlimited(actor) ? Long.MAX_VALUE : Math.max(0, monthly() - spent(actor));
    }

    /**
     * Fails with {@code insufficient_funds} (402, with {@code delegate}, which puter.js answers with its upgrade
     * prompt) unless what the actor's user has left covers {@code costMicrocents}. Free calls (cost 0) always pass.
     *
     * @param delegate the spec's {@code delegate} field, e.g. {@code usage-limited-chat}
     */
    public void check(Actor actor, long costMicrocents, String delegate) {
        if (costMicrocents <= 0 || unlimited(actor)) {
            return;
        }
        if (remaining(actor) < costMicrocents) {
            throw insufficientFunds(delegate);
        }
    }

    /** Upstream's {@code unlimited} policy: what an unlimited user's month allows, in µ¢ (5 000 000 × 10⁸). */
    static final long UNLIMITED_POLICY = 5_000_000L * 100_000_000L;

    /**
     * {@code GET /metering/usage} (spec 6, "HTTP"): the month's usage by type ({@code total} is the month's cost; the
     * cost types carry their cost, the other types units and counts with cost 0, as their cost is in the service's
     * cost type), the apps' totals and the allowance. Hearth sells no credits: {@code addons} is empty.
     */
    Map<String, Object> report(Actor actor) {
        long allowed = unlimited(actor) ? UNLIMITED_POLICY : monthly();
        long total = 0;
        Map<String, Object> usage = new LinkedHashMap<>();
        Map<String, Map<String, Long>> apps = new LinkedHashMap<>();
        for (Metering.Usage u : metering.usage(actor)) {
            boolean cost = u.usageType().endsWith(COST_SUFFIX);
            if (u.usageType().startsWith("app:")) {
                if (cost) {
                    String app = u.usageType().substring(4, Math.max(4, u.usageType().indexOf(':', 4)));
                    Map<String, Long> t = apps.computeIfAbsent(app, k -> new LinkedHashMap<>());
                    t.merge("total", u.units(), Long::sum);
                    t.merge("count", u.count(), Long::sum);
                }
                continue;
            }
            if (cost) {
                total += u.units();
            }
            usage.put(u.usageType(), ordered("units", u.units(), "cost", cost ? u.units() : 0L, "count", u.count()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> withTotal = new LinkedHashMap<>();
        withTotal.put("total", total);
        withTotal.putAll(usage);
        out.put("usage", withTotal);
        out.put("appTotals", apps);
        out.put("allowanceInfo", ordered("remaining", Math.max(0, allowed - total), "monthUsageAllowance", allowed,
                "addons", Map.of()));
        return out;
    }

    /** A map in the order given (clients see upstream's key order). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The spec's {@code insufficient_funds} error (402). */
    public static ApiError insufficientFunds(String delegate) {
        return ApiError.of(402, "insufficient_funds", "Available funding is insufficient for this request.")
                .with("delegate", delegate);
    }

    /**
     * Records what a call cost against the allowance, under {@code <source>:microcents} (and
     * {@code app:<uid>:<source>:microcents} for an app's call). Nothing for system actors and free calls; a failing
     * metering service is logged and never fails a call that succeeded.
     *
     * @param source the paying service, e.g. {@code ai-chat}
     */
    public void charge(Actor actor, String source, long costMicrocents) {
        if (costMicrocents <= 0 || actor instanceof SystemActor) {
            return;
        }
        String type = source + COST_SUFFIX;
        try {
            metering.record(actor, type, costMicrocents);
            if (actor instanceof AppUnderUserActor app) {
                metering.record(actor, "app:" + app.appUid() + ":" + type, costMicrocents);
            }
        } catch (RuntimeException e) {
            LOG.warn("metering {} failed: {}", type, e.getMessage());
        }
    }
}

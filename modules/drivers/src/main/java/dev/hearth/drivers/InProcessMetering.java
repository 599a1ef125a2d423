package dev.hearth.drivers;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hearth.core.Actor;
import dev.hearth.core.SystemActor;
import dev.hearth.core.User;
import dev.hearth.kernel.Service;

/** {@link Metering} in memory, per user uuid and calendar month (UTC); lost at restart. */
final class InProcessMetering implements Metering, Service {

    private final Clock clock;
    private final ConcurrentHashMap<String, Map<String, long[]>> totals = new ConcurrentHashMap<>();

    InProcessMetering(Clock clock) {
        this.clock = clock;
    }

    private String key(User user) {
        return user.uuid() + ":" + YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    @Override
    public void record(Actor actor, String usageType, long units) {
        if (actor instanceof SystemActor || actor.actingUser().isEmpty()) {
            return;
        }
        Map<String, long[]> mine = totals.computeIfAbsent(key(actor.actingUser().get()),
                k -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()));
        synchronized (mine) {
            long[] t = mine.computeIfAbsent(usageType, k -> new long[2]);
            t[0] += Math.max(units, 1);
            t[1]++;
        }
    }

    @Override
    public List<Usage> usage(Actor actor) {
        if (actor.actingUser().isEmpty()) {
            return List.of();
        }
        Map<String, long[]> mine = totals.get(key(actor.actingUser().get()));
        if (mine == null) {
            return List.of();
        }
        List<Usage> out = new ArrayList<>();
        synchronized (mine) {
            mine.forEach((type, t) -> out.add(new Usage(type, t[0], t[1])));
        }
        return out;
    }
}

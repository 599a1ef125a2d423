package dev.hearth.ai;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configured provider's models by id and alias (spec 4.2). One name may be served by several providers:
 * the entries of a name are ordered cheapest first (Together last, then by input cost, then shorter id), which is
 * the order of fallback too. Lookups lower-case and trim the name (Hearth's fix: upstream is case-sensitive).
 */
final class ModelRegistry {

    /** Test and internal models kept out of the public model lists (but not out of the driver's). */
    static final Set<String> HIDDEN = Set.of("fake", "costly", "abuse", "model-fallback-test-1");

    private final Map<String, List<ModelInfo>> byName;
    private final List<ModelInfo> all;

    ModelRegistry(List<ChatProvider> providers) {
        Map<String, List<ModelInfo>> map = new LinkedHashMap<>();
        List<ModelInfo> every = new ArrayList<>();
        for (ChatProvider p : providers) {
            for (ModelInfo m : p.models()) {
                every.add(m);
                List<ModelInfo> list = map.computeIfAbsent(m.id(), k -> new ArrayList<>());
                for (String alias : m.aliases()) {
                    String key = key(alias);
                    List<ModelInfo> other = map.get(key);
                    if (other != null && other != list) {
                        // the alias names a model of another provider: merge the lists, so both fall back to each other
                        for (ModelInfo o : other) {
                            if (!list.contains(o)) {
                                list.add(o);
                            }
                        }
                        map.replaceAll((k, v) -> v == other ? list : v);
                    }
                    map.put(key, list);
                }
                if (!list.contains(m)) {
                    list.add(m);
                }
            }
        }
        Comparator<ModelInfo> order = Comparator.<ModelInfo>comparingInt(m -> m.provider().equals("together-ai") ? 1 : 0)
                .thenComparingDouble(ModelInfo::inputCost).thenComparingInt(m -> m.id().length());
        map.values().stream().distinct().forEach(l -> l.sort(order));
        this.byName = map;
        this.all = List.copyOf(every);
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** The entries serving {@code name}: {@code provider}'s first if it serves it, then the others cheapest first. */
    List<ModelInfo> candidates(String name, Optional<String> provider) {
        List<ModelInfo> list = byName.get(key(name));
        if (list == null) {
            return List.of();
        }
        List<ModelInfo> out = new ArrayList<>(list);
        provider.flatMap(p -> list.stream().filter(m -> m.provider().equals(p)).findFirst()).ifPresent(m -> {
            out.remove(m);
            out.addFirst(m);
        });
        return out;
    }

    /** Every model of every provider, in provider order. */
    List<ModelInfo> all() {
        return all;
    }

    /** The models of one provider. */
    List<ModelInfo> of(String provider) {
        return all.stream().filter(m -> m.provider().equals(provider)).toList();
    }
}

package dev.hearth.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The typed service registry. Lookups are by type: {@link #get(Class)} for a service that must exist,
 * {@link #find(Class)} for an optional one and {@link #all(Class)} for every service that implements an
 * interface (Puter's "traits"), in registration order. Names are kept for operators and configuration.
 */
public final class Services {

    /** A registered service with its name and the module that registered it. */
    public record Entry(String name, String module, Service service) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    Services() {}

    void add(Entry entry) {
        entries.add(entry);
    }

    /** The one service that is a {@code type}; fails if there is none or more than one. */
    public <T> T get(Class<T> type) {
        List<T> found = all(type);
        if (found.isEmpty()) {
            throw new IllegalStateException("missing service: no registered service is a " + type.getName());
        }
        if (found.size() > 1) {
            throw new IllegalStateException("ambiguous service: " + found.size() + " registered services are a "
                    + type.getName() + " (" + namesOf(type) + "); use all() or find a narrower type");
        }
        return found.getFirst();
    }

    /** The service that is a {@code type}, if exactly one is registered; empty if none; fails if several. */
    public <T> Optional<T> find(Class<T> type) {
        List<T> found = all(type);
        return found.isEmpty() ? Optional.empty() : Optional.of(get(type));
    }

    /** Every service that is a {@code type}, in registration order. */
    public <T> List<T> all(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Entry e : entries) {
            if (type.isInstance(e.service())) {
                found.add(type.cast(e.service()));
            }
        }
        return List.copyOf(found);
    }

    /** The service registered under {@code name}. */
    public Optional<Service> byName(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).map(Entry::service).findFirst();
    }

    /** Every registered service, in registration order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    private String namesOf(Class<?> type) {
        return String.join(", ", entries.stream().filter(e -> type.isInstance(e.service())).map(Entry::name).toList());
    }
}

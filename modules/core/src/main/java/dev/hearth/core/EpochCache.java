package dev.hearth.core;

import java.time.Duration;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** A Caffeine cache whose entries are valid only under the {@link CacheEpoch} they were loaded in. */
final class EpochCache<K, V> {

    private record Stamped<V>(V value, long epoch) {}

    private final CacheEpoch epoch;
    private final Cache<K, Stamped<V>> cache;

    EpochCache(CacheEpoch epoch, long maximumSize, Duration maximumAge) {
        this.epoch = epoch;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(maximumAge).build();
    }

    V get(K key, Function<K, V> loader) {
        long now = epoch.current();
        Stamped<V> hit = cache.getIfPresent(key);
        if (hit != null && hit.epoch() == now) {
            return hit.value();
        }
        // Stamped with the epoch read before loading: a revocation that lands during the load makes it stale.
        V value = loader.apply(key);
        cache.put(key, new Stamped<>(value, now));
        return value;
    }

    void put(K key, V value) {
        cache.put(key, new Stamped<>(value, epoch.current()));
    }

    void invalidate(K key) {
        cache.invalidate(key);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}

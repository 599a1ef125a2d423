package dev.hearth.kv;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * {@code services.puter-kvstore}.
 *
 * @param purgeIntervalSeconds how often expired items are deleted (they are invisible from the moment they expire);
 *                             0 turns the periodic purge off
 */
record KvSettings(@JsonProperty("purge_interval_seconds") Integer purgeIntervalSeconds) {

    KvSettings {
        if (purgeIntervalSeconds == null) {
            purgeIntervalSeconds = 60;
        }
        if (purgeIntervalSeconds < 0) {
            throw ConfigException.invalid("purge_interval_seconds", purgeIntervalSeconds, "0 (off) or more seconds");
        }
    }
}

package dev.hearth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;

/**
 * The configuration accounts read: Puter's top-level keys, plus {@code services.users.bcrypt_cost}.
 *
 * @param minPasswordLength {@code min_pass_length} (6)
 * @param blockedEmailDomains {@code blocked_email_domains}: suffixes of cleaned emails that may not sign up
 * @param devEnvironment {@code env} is {@code dev}: every email validates
 * @param storageCapacity {@code storage_capacity}: a new user's {@code free_storage} (1 GiB)
 * @param allowSystemLogin {@code allow_system_login}
 * @param serverId {@code server_id}, recorded with signups and sessions
 * @param bcryptCost {@code services.users.bcrypt_cost} (10; Puter's is 8)
 * @param maxUsernameChanges {@code max_username_changes} per 30 days (2)
 */
record AccountSettings(int minPasswordLength, List<String> blockedEmailDomains, boolean devEnvironment,
        long storageCapacity, boolean allowSystemLogin, String serverId, int bcryptCost, int maxUsernameChanges) {

    static final long GIB = 1024L * 1024 * 1024;

    static AccountSettings from(Config config) {
        int minPass = intValue(config, "min_pass_length", AccountRules.MIN_PASSWORD_LENGTH);
        if (minPass < 1 || minPass > 72) {
            throw ConfigException.invalid("min_pass_length", minPass, "1 to 72");
        }
        List<String> blocked = new ArrayList<>();
        config.node("blocked_email_domains").ifPresent(n -> n.forEach(v -> blocked.add(v.asString().toLowerCase(Locale.ROOT))));
        int cost = intValue(config, "services.users.bcrypt_cost", Passwords.DEFAULT_COST);
        if (cost < 4 || cost > 31) {
            throw ConfigException.invalid("services.users.bcrypt_cost", cost, "4 to 31");
        }
        return new AccountSettings(minPass, List.copyOf(blocked), config.string("env").orElse("prod").equals("dev"),
                config.node("storage_capacity").map(n -> n.asLong()).orElse(GIB), config.flag("allow_system_login"),
                config.string("server_id").orElse("localhost"), cost, intValue(config, "max_username_changes", 2));
    }

    private static int intValue(Config config, String key, int fallback) {
        return config.node(key).map(n -> {
            if (!n.canConvertToInt() && !(n.isString() && n.asString().matches("\\d{1,9}"))) {
                throw ConfigException.invalid(key, n.toString(), "a whole number");
            }
            return n.isString() ? Integer.parseInt(n.asString()) : n.asInt();
        }).orElse(fallback);
    }
}

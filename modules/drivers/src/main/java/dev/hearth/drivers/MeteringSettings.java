package dev.hearth.drivers;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * {@code extensions.metering}, the section upstream's {@code metering} extension reads (spec 6, 7), plus Hearth's
 * {@code monthly_allowance_microcents}.
 *
 * @param unlimitedUsage no allowance for anyone (default {@code false}: guests could otherwise spend the operator's
 *                       provider credit)
 * @param unlimitedAllowList usernames without an allowance (default {@code ["admin"]}; upstream ignores the list,
 *                           Hearth honours it)
 * @param monthlyAllowanceMicrocents what each user may spend per calendar month (UTC), in µ¢ (default 25 000 000 =
 *                                   $0.25, upstream's {@code user_free} and {@code temp_free} policies)
 */
record MeteringSettings(Boolean unlimitedUsage, List<String> unlimitedAllowList,
        @JsonProperty("monthly_allowance_microcents") Long monthlyAllowanceMicrocents) {

    MeteringSettings {
        unlimitedUsage = unlimitedUsage != null && unlimitedUsage;
        unlimitedAllowList = unlimitedAllowList == null ? List.of("admin") : List.copyOf(unlimitedAllowList);
        monthlyAllowanceMicrocents = monthlyAllowanceMicrocents == null ? 25_000_000L : monthlyAllowanceMicrocents;
        if (monthlyAllowanceMicrocents < 0) {
            throw ConfigException.invalid("monthly_allowance_microcents", monthlyAllowanceMicrocents, "0 or more");
        }
    }
}

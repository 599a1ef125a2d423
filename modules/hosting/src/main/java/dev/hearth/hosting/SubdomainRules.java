package dev.hearth.hosting;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.hearth.kernel.ApiError;

/** The validation of subdomain names (spec 5.2) and the reserved names (5.7). */
final class SubdomainRules {

    static final int MAX_LENGTH = 60;
    static final int MAX_DOMAIN_LENGTH = 253;
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$");

    /** Spec 5.7, with the three numbered families and every single digit and lower-case letter. */
    static final Set<String> RESERVED = reserved();

    private SubdomainRules() {}

    private static Set<String> reserved() {
        Set<String> names = new HashSet<>(Set.of(("about api camera changelog cloudjs cloud.js code dev-center draw "
                + "editor markus pdf photopea player terminal viewer www share usr dev var etc tmp lib mnt opt bin "
                + "admin ads alt app apps audio auth badge beta business buy cdn cli cloud cmd community careers "
                + "config db demo developers doc docs email eng engineering exchange faq feeds files forum fs ftp gov "
                + "groups help "
                + "hq images img in inbound info jobs js lab learn live login mail media mobile mx my mysql news "
                + "newsletter office out owa pop pop3 portal private public puter remote sandbox sdk search secure "
                + "service shell shop signin signup smtp smtpin socket ssl start static status store support test "
                + "tutorials upload video videos vpn vps web wiki").split(" ")));
        for (int i = 0; i <= 9; i++) {
            names.add("dns" + i);
            names.add("mx" + i);
            names.add("ns" + i);
            names.add(Integer.toString(i));
        }
        for (char c = 'a'; c <= 'z'; c++) {
            names.add(Character.toString(c));
        }
        return Set.copyOf(names);
    }

    /** The subdomain of a create, lower-cased and validated. */
    static String subdomain(Object value) {
        if (value == null) {
            throw ApiError.fieldMissing("subdomain");
        }
        if (!(value instanceof String s)) {
            throw ApiError.fieldInvalid("subdomain", "a string", null);
        }
        String name = s.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw ApiError.fieldMissing("subdomain");
        }
        if (name.length() > MAX_LENGTH) {
            throw tooLong("subdomain", MAX_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiError.fieldInvalid("subdomain", null, null);
        }
        if (RESERVED.contains(name)) {
            throw ApiError.of(400, "subdomain_reserved", "Subdomain `" + name + "` is not available.")
                    .with("subdomain", name);
        }
        return name;
    }

    /** A custom domain as given: lower-cased and validated (Hearth records it as pending; see {@link Subdomains}). */
    static String domain(String value) {
        String d = value.trim().toLowerCase(Locale.ROOT);
        if (d.length() > MAX_DOMAIN_LENGTH) {
            throw tooLong("domain", MAX_DOMAIN_LENGTH);
        }
        if (!DOMAIN.matcher(d).matches()) {
            throw ApiError.fieldInvalid("domain", "a domain name", null);
        }
        return d;
    }

    static ApiError tooLong(String key, int max) {
        return ApiError.of(400, "field_too_long", "Field `" + key + "` is too long. Max length is " + max + ".")
                .with("key", key).with("max_length", max);
    }
}

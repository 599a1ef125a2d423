package dev.hearth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A permission string (spec 3.1): components joined by {@code :}. A literal {@code :} inside a component is
 * written {@code \C}, and {@code \x} stands for {@code x} (so a backslash is {@code \\}). A permission is implied by
 * each of its prefixes: {@code a:b:c} is granted by holding {@code a:b} or {@code a}. {@code manage:<perm>} is the
 * right to grant {@code <perm>}.
 *
 * @param raw the escaped string, as stored and as clients send it
 */
public record Permission(String raw) {

    /** The prefix of the right to grant a permission. */
    public static final String MANAGE = "manage";

    public Permission {
        Objects.requireNonNull(raw, "raw");
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("a permission is not empty");
        }
    }

    /** Parses an escaped permission string. */
    public static Permission parse(String raw) {
        return new Permission(raw);
    }

    /** Joins unescaped components, escaping each. */
    public static Permission of(String... components) {
        return of(List.of(components));
    }

    /** Joins unescaped components, escaping each. */
    public static Permission of(List<String> components) {
        if (components.isEmpty()) {
            throw new IllegalArgumentException("a permission has at least one component");
        }
        StringBuilder b = new StringBuilder();
        for (String c : components) {
            if (!b.isEmpty()) {
                b.append(':');
            }
            b.append(escape(c));
        }
        return new Permission(b.toString());
    }

    /** {@code :} becomes {@code \C}, {@code \} becomes {@code \\}. */
    public static String escape(String component) {
        StringBuilder b = new StringBuilder(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case ':' -> b.append("\\C");
                case '\\' -> b.append("\\\\");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code \C} becomes {@code :}, {@code \x} becomes {@code x}; a trailing lone backslash is dropped. */
    public static String unescape(String component) {
        StringBuilder b = new StringBuilder(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '\\') {
                if (++i < component.length()) {
                    char next = component.charAt(i);
                    b.append(next == 'C' ? ':' : next);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The raw (still escaped) components. */
    public List<String> rawComponents() {
        return List.of(raw.split(":", -1));
    }

    /** The unescaped components. */
    public List<String> components() {
        return rawComponents().stream().map(Permission::unescape).toList();
    }

    /** The unescaped component at {@code index}, or empty. */
    public java.util.Optional<String> component(int index) {
        List<String> all = components();
        return index < all.size() ? java.util.Optional.of(all.get(index)) : java.util.Optional.empty();
    }

    /** This permission and every prefix of it, longest first: {@code a:b:c, a:b, a}. */
    public List<Permission> withPrefixes() {
        List<String> parts = rawComponents();
        List<Permission> all = new ArrayList<>(parts.size());
        for (int n = parts.size(); n > 0; n--) {
            all.add(new Permission(String.join(":", parts.subList(0, n))));
        }
        return all;
    }

    /** Whether holding {@code this} implies {@code other} through the prefix hierarchy. */
    public boolean implies(Permission other) {
        return other.raw.equals(raw) || other.raw.startsWith(raw + ":");
    }

    /** {@code manage:<this>}. */
    public Permission manage() {
        return new Permission(MANAGE + ":" + raw);
    }

    /** Whether this is a {@code manage:} permission. */
    public boolean isManage() {
        return raw.startsWith(MANAGE + ":");
    }

    @Override
    public String toString() {
        return raw;
    }
}

package dev.hearth.core;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation rules for usernames, emails and passwords (spec 1.3, 1.3.4, 5.7), as pure functions, so that each
 * endpoint can phrase its own message (signup, save_account, change-username and login word them differently).
 */
public final class AccountRules {

    /** {@code config.username_regex}: letters, digits and underscore. */
    public static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_]+$");
    public static final int USERNAME_MAX_LENGTH = 45;
    public static final int MIN_PASSWORD_LENGTH = 6;

    /** What is wrong with a username. */
    public enum UsernameProblem { INVALID, TOO_LONG, RESERVED }

    private static final Set<String> RESERVED = reserved();

    // validator.isEmail, as far as it matters: a dot-atom local part of at most 64 characters, a domain of labels
    // (letters, digits, hyphens inside) with a top-level label of two or more letters, 254 characters in all.
    private static final Pattern EMAIL = Pattern.compile(
            "^(?=.{1,254}$)(?=.{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");

    private AccountRules() {}

    /** The first problem of a username, in the order signup checks them; empty if it is acceptable. */
    public static Optional<UsernameProblem> usernameProblem(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return Optional.of(UsernameProblem.INVALID);
        }
        if (username.length() > USERNAME_MAX_LENGTH) {
            return Optional.of(UsernameProblem.TOO_LONG);
        }
        if (isReserved(username)) {
            return Optional.of(UsernameProblem.RESERVED);
        }
        return Optional.empty();
    }

    /** Whether a name is reserved (5.7). Hearth compares case-insensitively, so {@code Admin} is reserved too. */
    public static boolean isReserved(String name) {
        return RESERVED.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code email} is a syntactically valid address. */
    public static boolean isValidEmail(String email) {
        return email != null && EMAIL.matcher(email).matches();
    }

    /**
     * Puter's email normalisation (1.3.4): {@code googlemail.com} becomes {@code gmail.com}; everything from the first
     * {@code +} of the local part goes, except at Yahoo; Gmail and iCloud also drop the dots of the local part. Case is
     * kept.
     */
    public static String cleanEmail(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return email;
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (domain.equals("googlemail.com")) {
            domain = "gmail.com";
        }
        if (!domain.startsWith("yahoo.")) {
            int plus = local.indexOf('+');
            if (plus >= 0) {
                local = local.substring(0, plus);
            }
        }
        if (List.of("gmail.com", "icloud.com", "me.com", "mac.com").contains(domain)) {
            local = local.replace(".", "");
        }
        return local + "@" + domain;
    }

    /** Whether a password is long enough for signup, save-account and recovery ({@code min_pass_length}, 6). */
    public static boolean isLongEnough(String password, int minLength) {
        return password != null && password.length() >= minLength;
    }

    /**
     * The strong rule of {@code /user-protected/change-password}: at least 8 characters, an upper-case and a
     * lower-case letter, a digit and one of {@code !@#$%^&*()_+-=[]{};':"\|,.<>/?}.
     */
    public static boolean isStrong(String password) {
        if (password == null || password.length() < 8) {
            return false;
        }
        String specials = "!@#$%^&*()_+-=[]{};':\"\\|,.<>/?";
        return password.chars().anyMatch(Character::isUpperCase) && password.chars().anyMatch(Character::isLowerCase)
                && password.chars().anyMatch(Character::isDigit) && password.chars().anyMatch(c -> specials.indexOf(c) >= 0);
    }

    private static Set<String> reserved() {
        Set<String> words = new HashSet<>(List.of(("about api camera changelog cloudjs cloud.js code dev-center draw editor"
                + " markus pdf photopea player terminal viewer www share usr dev var etc tmp lib mnt opt bin admin ads alt"
                + " app apps audio auth badge beta business buy cdn cli cloud cmd community careers config db demo"
                + " developers doc docs email eng engineering exchange faq feeds files forum fs ftp gov groups help hq"
                + " images img in inbound info jobs js lab learn live login mail media mobile mx my mysql news newsletter"
                + " office out owa pop pop3 portal private public puter remote sandbox sdk search secure service shell shop"
                + " signin signup smtp smtpin socket ssl start static status store support test tutorials upload video"
                + " videos vpn vps web wiki").split(" ")));
        for (int i = 0; i <= 9; i++) {
            words.add("dns" + i);
            words.add("mx" + i);
            words.add("ns" + i);
            words.add(String.valueOf(i));
        }
        for (char c = 'a'; c <= 'z'; c++) {
            words.add(String.valueOf(c));
        }
        return Set.copyOf(words);
    }
}

package dev.hearth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import dev.hearth.core.Sessions;
import dev.hearth.core.User;
import dev.hearth.core.Users;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth user add|passwd|list|disable|enable}: user management from the command line, on the same data
 * directory and database as the server (which may be running: SQLite's WAL and PostgreSQL both allow it).
 * The kernel boots up to consolidation, so migrations are applied and no port is opened.
 */
@Command(name = "user", description = "Manages users: add, passwd, list, disable, enable.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.ListUsers.class,
                UserCommand.Disable.class, UserCommand.Enable.class})
final class UserCommand implements Callable<Integer> {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    final Launch launch;

    UserCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        launch.err().println("hearth user: name a command: add, passwd, list, disable or enable (hearth user --help)");
        return 2;
    }

    /** Boots the kernel far enough to use the accounts, runs {@code work}, shuts down. */
    static <T> T withAccounts(Launch launch, LaunchOptions options, Function<Kernel, T> work) {
        Config config = options.load(launch.env(), launch.workingDir());
        LogLevel.apply(config);
        try (Kernel kernel = Kernel.builder(config).modules(DefaultModules.create()).build()) {
            kernel.boot(Phase.CONSOLIDATION);
            return work.apply(kernel);
        }
    }

    static String generatedPassword() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The password read from standard input, or a generated one (then printed once). */
    static String password(Launch launch, boolean fromStdin) {
        if (!fromStdin) {
            return generatedPassword();
        }
        try {
            String line = launch.in().readLine();
            if (line == null || line.isEmpty()) {
                throw ApiError.badRequest("--password-stdin: standard input had no password on its first line");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static User find(Kernel kernel, String username) {
        return kernel.services().get(Users.class).byUsername(username)
                .orElseThrow(() -> ApiError.of(404, "user_not_found", "No user is named `" + username + "`."));
    }

    /** Runs a user command, turning a refusal (an {@link ApiError}) into a message and exit code 1. */
    static int report(Launch launch, Callable<String> work) {
        try {
            launch.out().println(work.call());
            return 0;
        } catch (ApiError e) {
            launch.err().println("hearth user: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "add", description = "Adds a user. Prints the generated password unless --password-stdin is given.")
    static final class Add implements Callable<Integer> {
        @Mixin LaunchOptions options;
        @Parameters(index = "0", paramLabel = "USERNAME") String username;
        @Option(names = "--email", paramLabel = "EMAIL", description = "The user's email address (optional).") String email;
        @Option(names = "--admin", description = "Makes the user an administrator.") boolean admin;
        @Option(names = "--password-stdin", description = "Reads the password from the first line of standard input.")
        boolean passwordStdin;
        @picocli.CommandLine.ParentCommand UserCommand parent;

        @Override
        public Integer call() {
            Launch launch = parent.launch;
            return report(launch, () -> {
                String password = password(launch, passwordStdin);
                return withAccounts(launch, options, kernel -> {
                    User user = kernel.services().get(Users.class).add(username, Optional.ofNullable(email), password, admin);
                    return "added " + (admin ? "administrator " : "user ") + user.username() + " (" + user.uuid() + ")"
                            + (passwordStdin ? "" : "\npassword: " + password);
                });
            });
        }
    }

    @Command(name = "passwd", description = "Sets a new password and signs the user out everywhere. "
            + "Prints the generated password unless --password-stdin is given.")
    static final class Passwd implements Callable<Integer> {
        @Mixin LaunchOptions options;
        @Parameters(index = "0", paramLabel = "USERNAME") String username;
        @Option(names = "--password-stdin", description = "Reads the password from the first line of standard input.")
        boolean passwordStdin;
        @picocli.CommandLine.ParentCommand UserCommand parent;

        @Override
        public Integer call() {
            Launch launch = parent.launch;
            return report(launch, () -> {
                String password = password(launch, passwordStdin);
                return withAccounts(launch, options, kernel -> {
                    User user = find(kernel, username);
                    kernel.services().get(Users.class).setPassword(user.id(), password);
                    int ended = kernel.services().get(Sessions.class).revokeAll(user.id());
                    return "new password for " + user.username() + "; " + ended + " session(s) signed out"
                            + (passwordStdin ? "" : "\npassword: " + password);
                });
            });
        }
    }

    @Command(name = "list", description = "Lists the users.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin LaunchOptions options;
        @picocli.CommandLine.ParentCommand UserCommand parent;

        @Override
        public Integer call() {
            Launch launch = parent.launch;
            return report(launch, () -> withAccounts(launch, options, kernel -> {
                StringBuilder table = new StringBuilder(String.format("%-24s %-32s %-9s %s%n",
                        "USERNAME", "EMAIL", "STATE", "CREATED"));
                Users users = kernel.services().get(Users.class);
                int page = 500;
                for (int offset = 0; ; offset += page) {
                    List<User> batch = users.list(offset, page);
                    for (User u : batch) {
                        table.append(String.format("%-24s %-32s %-9s %s%n", u.username(), u.email().orElse("-"),
                                u.suspended() ? "disabled" : "active",
                                DateTimeFormatter.ISO_LOCAL_DATE.format(u.createdAt().atOffset(ZoneOffset.UTC))));
                    }
                    if (batch.size() < page) {
                        break;
                    }
                }
                return table.toString().stripTrailing();
            }));
        }
    }

    @Command(name = "disable", description = "Disables a user (no sign-in, sessions ended); the data is kept.")
    static final class Disable implements Callable<Integer> {
        @Mixin LaunchOptions options;
        @Parameters(index = "0", paramLabel = "USERNAME") String username;
        @picocli.CommandLine.ParentCommand UserCommand parent;

        @Override
        public Integer call() {
            Launch launch = parent.launch;
            return report(launch, () -> withAccounts(launch, options, kernel -> {
                User user = find(kernel, username);
                kernel.services().get(Users.class).setSuspended(user.id(), true);
                int ended = kernel.services().get(Sessions.class).revokeAll(user.id());
                return "disabled " + user.username() + "; " + ended + " session(s) signed out";
            }));
        }
    }

    @Command(name = "enable", description = "Enables a disabled user again.")
    static final class Enable implements Callable<Integer> {
        @Mixin LaunchOptions options;
        @Parameters(index = "0", paramLabel = "USERNAME") String username;
        @picocli.CommandLine.ParentCommand UserCommand parent;

        @Override
        public Integer call() {
            Launch launch = parent.launch;
            return report(launch, () -> withAccounts(launch, options, kernel -> {
                User user = find(kernel, username);
                kernel.services().get(Users.class).setSuspended(user.id(), false);
                return "enabled " + user.username();
            }));
        }
    }
}

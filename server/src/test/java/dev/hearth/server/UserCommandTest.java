package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.Users;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Phase;

class UserCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Launch launch = new Launch(Map.of(), dir, new PrintWriter(out, true), new PrintWriter(err, true),
                new BufferedReader(new StringReader(stdin)));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dir.resolve("data").toString();
        return HearthCommand.commandLine(launch).execute(all);
    }

    private boolean passwordWorks(String username, String password) {
        try (Kernel k = Kernel.builder(ConfigLoader.load(dir.resolve("data"), java.util.Optional.empty(), Map.of(), List.of()))
                .modules(DefaultModules.create()).build()) {
            k.boot(Phase.CONSOLIDATION);
            Users users = k.services().get(Users.class);
            return users.verifyPassword(users.byUsername(username).orElseThrow(), password);
        }
    }

    @Test
    void addListPasswdDisableEnable() {
        assertThat(run("", "user", "add", "carol", "--email", "carol@example.com")).as(err.toString()).isZero();
        Matcher m = Pattern.compile("password: (\\S+)").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        String generated = m.group(1);
        assertThat(generated).hasSize(20);
        assertThat(passwordWorks("carol", generated)).isTrue();

        assertThat(run("", "user", "list")).isZero();
        assertThat(out.toString()).containsPattern("carol\\s+carol@example.com\\s+active");

        assertThat(run("a-chosen-passphrase\n", "user", "passwd", "carol", "--password-stdin")).isZero();
        assertThat(out.toString()).contains("new password for carol").doesNotContain("a-chosen-passphrase");
        assertThat(passwordWorks("carol", "a-chosen-passphrase")).isTrue();
        assertThat(passwordWorks("carol", generated)).isFalse();

        assertThat(run("", "user", "disable", "carol")).isZero();
        assertThat(run("", "user", "list")).isZero();
        assertThat(out.toString()).containsPattern("carol\\s+carol@example.com\\s+disabled");
        assertThat(run("", "user", "enable", "carol")).isZero();
        assertThat(run("", "user", "list")).isZero();
        assertThat(out.toString()).containsPattern("carol\\s+carol@example.com\\s+active");
    }

    @Test
    void refusalsAreClearMessagesNotTraces() {
        assertThat(run("", "user", "add", "dave")).isZero();
        assertThat(run("", "user", "add", "dave")).isEqualTo(1);
        assertThat(err.toString()).startsWith("hearth user: ").contains("dave").doesNotContain("Exception");

        assertThat(run("", "user", "passwd", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("No user is named `nobody`.");

        assertThat(run("", "user", "passwd", "dave", "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).contains("standard input had no password");

        assertThat(run("", "user", "add", "bad name!")).isEqualTo(1);
        assertThat(err.toString()).startsWith("hearth user: ");
    }
}

package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;

class PathsAndNamesTest {

    @Test
    void pathsAreNormalisedWithoutEverClimbingAboveTheRoot() {
        assertThat(FsPath.of("//alice/x").value()).isEqualTo("/alice/x");
        assertThat(FsPath.of("/alice/x/").value()).isEqualTo("/alice/x");
        assertThat(FsPath.of("/alice/./x/../y").value()).isEqualTo("/alice/y");
        assertThat(FsPath.of("/../../etc").value()).isEqualTo("/etc");
        assertThat(FsPath.of("/alice/dir./f").value()).isEqualTo("/alice/dir./f");
        assertThat(FsPath.of("/").isRoot()).isTrue();
        assertThat(FsPath.of("/..").isRoot()).isTrue();
    }

    @Test
    void pathParts() {
        FsPath p = FsPath.of("/alice/Desktop/a.txt");
        assertThat(p.name()).isEqualTo("a.txt");
        assertThat(p.parent()).isEqualTo(FsPath.of("/alice/Desktop"));
        assertThat(p.depth()).isEqualTo(3);
        assertThat(p.components()).containsExactly("alice", "Desktop", "a.txt");
        assertThat(p.homeName()).contains("alice");
        assertThat(FsPath.ROOT.depth()).isZero();
        assertThat(FsPath.of("/alice").parent()).isEqualTo(FsPath.ROOT);
        assertThat(p.isWithin(FsPath.of("/alice"))).isTrue();
        assertThat(FsPath.of("/alicex/y").isWithin(FsPath.of("/alice"))).isFalse();
        assertThat(FsPath.of("/alice/p").resolve("q/r").value()).isEqualTo("/alice/p/q/r");
        assertThatThrownBy(() -> FsPath.of("relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FsPath("/a/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathsAreNfc() {
        String decomposed = "/alice/Cafe\u0301";
        assertThat(FsPath.of(decomposed).value()).isEqualTo("/alice/Caf\u00e9");
    }

    @Test
    void nodeParametersFollowTheResolutionRules() {
        assertThat(NodeRef.parse("path", "~", "alice")).isEqualTo(new NodeRef.ByPath(FsPath.of("/alice"), "~"));
        assertThat(NodeRef.parse("path", "~/Desktop//a/", "alice"))
                .isEqualTo(new NodeRef.ByPath(FsPath.of("/alice/Desktop/a"), "~/Desktop//a/"));
        assertThat(NodeRef.parse("uid", "5B1F3F0A-6A0E-4B53-9D43-1F2A7F5E9A10", "alice"))
                .isEqualTo(new NodeRef.ByUid("5b1f3f0a-6a0e-4b53-9d43-1f2a7f5e9a10", "5B1F3F0A-6A0E-4B53-9D43-1F2A7F5E9A10"));

        assertThat(error(() -> NodeRef.parse("subject", null, "alice")).body())
                .containsExactly(entry("message", "Field `subject` is required."), entry("key", "subject"),
                        entry("code", "field_missing"));
        for (String bad : new String[] {"", "~x", "notauuid", "/a\u0000b", "/a\u202Eb"}) {
            ApiError e = error(() -> NodeRef.parse("path", bad, "alice"));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.body()).containsExactly(
                    entry("message", "Field `path` is invalid. Expected unix-style path or uuid4."),
                    entry("key", "path"), entry("expected", "unix-style path or uuid4"), entry("code", "field_invalid"));
        }
        ApiError relative = error(() -> NodeRef.parse("file", "./x", "alice"));
        assertThat(relative.body()).containsExactly(
                entry("message", "Unresolved relative path: `./x`. You may need to specify a full path starting with '/'."),
                entry("code", "unresolved_relative_path"));
    }

    @Test
    void nameRules() {
        assertThat(reason("")).isEqualTo("Name can not be empty.");
        assertThat(reason("a/b")).isEqualTo("Name can not contain the '/' character.");
        assertThat(reason(".")).isEqualTo("Name can not be the '.' character.");
        assertThat(reason("..")).isEqualTo("Name can not be the '..' character.");
        assertThat(reason("x".repeat(768))).isEqualTo("Name can not be longer than 767 characters");
        assertThat(reason("...")).isEqualTo("invalid node name");
        assertThat(reason("a\tb")).isEqualTo("invalid node name");
        assertThat(reason("a\uFF01")).isEqualTo("invalid node name");
        assertThat(FsNames.problem("x".repeat(767), 767)).isEmpty();
        assertThat(FsNames.problem(".hidden", 767)).isEmpty();
        assertThat(FsNames.problem("a b\\c:*?😀", 767)).isEmpty();

        ApiError e = error(() -> FsNames.validate("a/b", 767));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.body()).containsExactly(
                entry("message", "Invalid file name: `a/b`; Name can not contain the '/' character."),
                entry("name", "a/b"), entry("reason", "Name can not contain the '/' character."),
                entry("code", "invalid_file_name"));
        assertThat(FsNames.validate("Cafe\u0301", 767)).isEqualTo("Caf\u00e9");
    }

    @Test
    void dedupedNames() {
        assertThat(FsNames.dedupe("a.txt", false, 1)).isEqualTo("a (1).txt");
        assertThat(FsNames.dedupe("archive.tar.gz", false, 2)).isEqualTo("archive.tar (2).gz");
        assertThat(FsNames.dedupe(".bashrc", false, 1)).isEqualTo(".bashrc (1)");
        assertThat(FsNames.dedupe("noext", false, 3)).isEqualTo("noext (3)");
        assertThat(FsNames.dedupe("photos.2024", true, 1)).isEqualTo("photos.2024 (1)");
    }

    @Test
    void errorBodies() {
        assertThat(FsErrors.itemWithSameNameExists("b").body()).containsExactly(
                entry("message", "An item with name `b` already exists."), entry("entry_name", "b"),
                entry("code", "item_with_same_name_exists"));
        assertThat(FsErrors.directoryDepthLimitExceeded(35, 36).body()).containsExactly(
                entry("message", "Directory depth limit exceeded. Limit is 35, would be 36."), entry("limit", 35),
                entry("would_be", 36), entry("code", "directory_depth_limit_exceeded"));
        assertThat(FsErrors.mkdirParentDoesNotExist().body()).containsExactly(
                entry("message", "Destination of `parent directory of the new directory being created` was not found."),
                entry("what_dest", "parent directory of the new directory being created"),
                entry("code", "dest_does_not_exist"));
        assertThat(FsErrors.quot("a\"b")).isEqualTo("`a\\\"b`");
    }

    @Test
    void mediaTypes() {
        assertThat(MediaTypes.of("notes.txt")).contains("text/plain; charset=utf-8");
        assertThat(MediaTypes.of("a.PNG")).contains("image/png");
        assertThat(MediaTypes.of("unknown.zzz")).isEmpty();
        assertThat(MediaTypes.of("noext")).isEmpty();
    }

    private static String reason(String name) {
        return FsNames.problem(name, 767).orElseThrow();
    }

    private static java.util.Map.Entry<String, Object> entry(String k, Object v) {
        return java.util.Map.entry(k, v);
    }

    private static ApiError error(Runnable r) {
        try {
            r.run();
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("no ApiError");
    }
}

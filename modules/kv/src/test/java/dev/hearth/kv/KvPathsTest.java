package dev.hearth.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.drivers.DriverError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/** Document paths and their operations (spec 3.5), without a database. */
class KvPathsTest {

    static JsonNode j(String json) {
        return Json.mapper().readTree(json);
    }

    @Test
    void pathsParseIntoKeysAndIndexes() {
        assertThat(KvPaths.parse("")).isEmpty();
        assertThat(KvPaths.parse("...")).isEmpty();
        assertThat(KvPaths.parse("a.b[1].c").toString()).isEqualTo("[a, b, [1], c]");
        assertThat(KvPaths.parse("a..b").toString()).isEqualTo("[a, b]");
        assertThat(KvPaths.parse("with space.x-y:z*").toString()).isEqualTo("[with space, x-y:z*]");
        assertThat(KvPaths.parse("m[0][2]").toString()).isEqualTo("[m, [0], [2]]");
        assertThatThrownBy(() -> KvPaths.parse("a[x]")).isInstanceOf(DriverError.class);
        assertThatThrownBy(() -> KvPaths.parse("a]")).isInstanceOf(DriverError.class);
    }

    @Test
    void overlappingPathsAreRefusedWithDynamoDbsSentence() {
        assertThatThrownBy(() -> KvPaths.requireNoOverlap(List.of(KvPaths.parse("a.b"), KvPaths.parse("a.b.c"))))
                .hasMessageContaining("Two document paths overlap with each other");
        assertThatThrownBy(() -> KvPaths.requireNoOverlap(List.of(KvPaths.parse(""), KvPaths.parse("x"))))
                .hasMessageContaining("paths overlap");
        assertThatThrownBy(() -> KvPaths.requireNoOverlap(List.of(KvPaths.parse("a.b"), KvPaths.parse("a..b"))))
                .hasMessageContaining("paths overlap");
        KvPaths.requireNoOverlap(List.of(KvPaths.parse("a.b"), KvPaths.parse("a.c"), KvPaths.parse("ab")));
    }

    @Test
    void intermediatesAreCreatedButListIndexesMustExist() {
        KvPaths.Doc doc = new KvPaths.Doc(null);
        doc.ensureParents(KvPaths.parse("a.b.c"));
        doc.set(KvPaths.parse("a.b.c"), j("1"));
        assertThat(doc.root).isEqualTo(j("{\"a\":{\"b\":{\"c\":1}}}"));
        KvPaths.Doc list = new KvPaths.Doc(j("{\"l\":[{\"x\":1}]}"));
        list.ensureParents(KvPaths.parse("l[0].y"));
        list.set(KvPaths.parse("l[0].y"), j("2"));
        assertThat(list.root).isEqualTo(j("{\"l\":[{\"x\":1,\"y\":2}]}"));
        assertThatThrownBy(() -> list.ensureParents(KvPaths.parse("l[5].y"))).hasMessage(KvPaths.INVALID_PATH);
        assertThatThrownBy(() -> new KvPaths.Doc(j("3")).ensureParents(KvPaths.parse("a.b")))
                .hasMessage(KvPaths.INVALID_PATH);
    }

    @Test
    void removalsUseTheIndexesOfTheValueBeforeAnyRemoval() {
        KvPaths.Doc doc = new KvPaths.Doc(j("{\"l\":[0,1,2,3,4],\"k\":1}"));
        doc.removeAll(List.of(KvPaths.parse("l[1]"), KvPaths.parse("l[3]"), KvPaths.parse("k"),
                KvPaths.parse("missing")));
        assertThat(doc.root).isEqualTo(j("{\"l\":[0,2,4]}"));
    }

    @Test
    void numbersAddAsDecimalsAndStayIntegersWhenWhole() {
        assertThat(Json.mapper().writeValueAsString(KvPaths.add(j("0.1"), j("0.2")))).isEqualTo("0.3");
        assertThat(Json.mapper().writeValueAsString(KvPaths.add(j("1.5"), j("1.5")))).isEqualTo("3");
        assertThat(Json.mapper().writeValueAsString(KvPaths.add(j("9007199254740993"), j("1"))))
                .isEqualTo("9007199254740994");
        assertThat(Json.mapper().writeValueAsString(KvPaths.normalize(j("{\"a\":[2.0,2.5]}"))))
                .isEqualTo("{\"a\":[2,2.5]}");
    }
}

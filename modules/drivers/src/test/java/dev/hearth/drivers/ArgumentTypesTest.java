package dev.hearth.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.core.SystemActor;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/** The coercion rules of spec 1.3, without a kernel. */
class ArgumentTypesTest {

    static JsonNode j(String json) {
        return Json.mapper().readTree(json);
    }

    @Test
    void stringsAreJavaScriptsStringConversion() {
        assertThat(ArgumentTypes.jsString(j("5"))).isEqualTo("5");
        assertThat(ArgumentTypes.jsString(j("-0.5"))).isEqualTo("-0.5");
        assertThat(ArgumentTypes.jsString(j("2.0"))).isEqualTo("2");
        assertThat(ArgumentTypes.jsString(j("1e21"))).isEqualTo("1e+21");
        assertThat(ArgumentTypes.jsString(j("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(ArgumentTypes.jsString(j("false"))).isEqualTo("false");
        assertThat(ArgumentTypes.jsString(j("{\"a\":1}"))).isEqualTo("[object Object]");
        assertThat(ArgumentTypes.jsString(j("[1,[2,[3]],null,\"x\",{}]"))).isEqualTo("1,2,3,,x,[object Object]");
    }

    @Test
    void flagsAreTruthiness() {
        for (String falsy : List.of("false", "0", "0.0", "\"\"", "null")) {
            assertThat(ArgumentTypes.truthy(j(falsy))).as(falsy).isFalse();
        }
        for (String truthy : List.of("true", "1", "-1", "\"0\"", "\"false\"", "[]", "{}")) {
            assertThat(ArgumentTypes.truthy(j(truthy))).as(truthy).isTrue();
        }
        assertThat(ArgumentTypes.truthy(null)).isFalse();
    }

    @Test
    void numbersMustBeJsonNumbers() {
        Param n = Param.number("n");
        assertThat(ArgumentTypes.consolidate(n, j("3"), SystemActor.INSTANCE, List.of())).isEqualTo(j("3"));
        assertThat(ArgumentTypes.consolidate(n, null, SystemActor.INSTANCE, List.of())).isNull();
        assertThatThrownBy(() -> ArgumentTypes.consolidate(n, j("\"3\""), SystemActor.INSTANCE, List.of()))
                .isInstanceOf(ApiError.class).hasMessage("Field `n` is invalid. Expected number.");
        assertThatThrownBy(() -> ArgumentTypes.consolidate(n, j("null"), SystemActor.INSTANCE, List.of()))
                .isInstanceOf(ApiError.class);
        assertThat(ArgumentTypes.consolidate(n.nullAsAbsent(), j("null"), SystemActor.INSTANCE, List.of())).isNull();
    }

    @Test
    void jsonSubtypesAllowNull() {
        Param obj = Param.json("o").subtype("object");
        assertThat(ArgumentTypes.consolidate(obj, j("null"), SystemActor.INSTANCE, List.of())).isEqualTo(j("null"));
        assertThatThrownBy(() -> ArgumentTypes.consolidate(obj, j("[1]"), SystemActor.INSTANCE, List.of()))
                .hasMessage("Field `o` is invalid. Expected JSON value of type object. Got JSON value of type array.");
    }
}

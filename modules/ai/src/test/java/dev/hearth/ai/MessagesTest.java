package dev.hearth.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;

class MessagesTest {

    @Test
    void theSpecExampleNormalises() {
        String in = """
                [{"role":"system","content":"You are helpful"},
                 {"role":"user","content":["What is this?",{"image_url":{"url":"https://x/y.png"}}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"calc","arguments":"{\\"e\\":\\"2+2\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"{\\"r\\":4}"},
                 {"role":"user","content":"thanks"},{"role":"user","content":"again"}]""";
        String out = """
                [{"role":"system","content":[{"type":"text","text":"You are helpful"}]},
                 {"role":"user","content":[{"type":"text","text":"What is this?"},{"image_url":{"url":"https://x/y.png"},"type":"image_url"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"calc","input":"{\\"e\\":\\"2+2\\"}"}]},
                 {"role":"tool","tool_call_id":"call_1","tool_use_id":"call_1","content":[{"type":"tool_result","tool_use_id":"call_1","content":"{\\"r\\":4}"}]},
                 {"role":"user","content":[{"type":"text","text":"thanks"},{"type":"text","text":"again"}]}]""";
        assertThat(Messages.normalize(Json.mapper().readTree(in))).isEqualTo(Json.mapper().readTree(out));
    }

    @Test
    void stringsBecomeUserMessagesAndClaudeToolBlocksStayWhole() {
        String in = """
                ["hi",
                 {"role":"assistant","content":[{"type":"text","text":"let me look"},{"type":"tool_use","id":"t1","name":"f","input":{"a":1},"text":"x"}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]},
                 {"role":"user","content":"more"}]""";
        String out = """
                [{"role":"user","content":[{"type":"text","text":"hi"}]},
                 {"role":"assistant","content":[{"type":"text","text":"let me look"},{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]},
                 {"role":"user","content":[{"type":"text","text":"more"}]}]""";
        assertThat(Messages.normalize(Json.mapper().readTree(in))).isEqualTo(Json.mapper().readTree(out));
    }

    @Test
    void messagesMustBeAnArray() {
        assertThatThrownBy(() -> Messages.normalize(Json.mapper().readTree("\"hi\"")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("field_invalid"));
    }

    @Test
    void toolArgumentsAreNotEncodedTwice() {
        assertThat(Messages.toolArguments(Json.mapper().readTree("\"{\\\"a\\\":1}\""))).isEqualTo("{\"a\":1}");
        assertThat(Messages.toolArguments(Json.mapper().readTree("{\"a\":1}"))).isEqualTo("{\"a\":1}");
        assertThat(Messages.toolInput(Json.mapper().readTree("\"{\\\"a\\\":1}\""))).isEqualTo(
                Json.mapper().readTree("{\"a\":1}"));
    }

    @Test
    void toolsOfEveryShapeBecomeFunctions() {
        String in = """
                [{"name":"a","description":"A","input_schema":{"type":"object","properties":{"l":{"type":"array"}}}},
                 {"type":"function","function":{"name":"b","parameters":{"properties":{}},"strict":true}},
                 {"type":"web_search"}]""";
        String out = """
                [{"type":"function","function":{"name":"a","description":"A","parameters":{"type":"object","properties":{"l":{"type":"array","items":{}}}}}},
                 {"type":"function","function":{"name":"b","parameters":{"properties":{},"type":"object"}}},
                 {"type":"web_search"}]""";
        assertThat(Tools.normalize(Json.mapper().readTree(in))).isEqualTo(Json.mapper().readTree(out));
    }
}

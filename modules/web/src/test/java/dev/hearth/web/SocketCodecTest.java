package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Engine.IO and Socket.IO framing, as engine.io-parser 5 and socket.io-parser 4 write and read it. */
class SocketCodecTest {

    @Test
    void pollingPayloadsSeparatePacketsWithTheRecordSeparator() {
        String payload = EnginePacket.encodePayload(List.of(EnginePacket.message("2[\"a\"]"), EnginePacket.PING_PACKET,
                EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4})));
        assertThat(payload).isEqualTo("42[\"a\"]\u001e2\u001ebAQIDBA==");
        List<EnginePacket> back = EnginePacket.decodePayload(payload);
        assertThat(back).hasSize(3);
        assertThat(back.get(0).frame()).isEqualTo("42[\"a\"]");
        assertThat(back.get(1).type()).isEqualTo(EnginePacket.PING);
        assertThat(back.get(2).binary()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void badEnginePacketsAreRefused() {
        assertThatThrownBy(() -> EnginePacket.decodePayload("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnginePacket.decodePayload("9x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnginePacket.decodePayload("b!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnginePacket.decodePayload("4a\u001e")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void socketIoPacketsEncodeLikeSocketIoParser() {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add("item.added").add(
                JsonNodeFactory.instance.objectNode().put("path", "/a"));
        assertThat(SocketIoPacket.event("/", -1, args).encode().text()).isEqualTo("2[\"item.added\",{\"path\":\"/a\"}]");
        assertThat(SocketIoPacket.event("/", 12, args).encode().text()).isEqualTo("212[\"item.added\",{\"path\":\"/a\"}]");
        assertThat(SocketIoPacket.connect("/", "abc").encode().text()).isEqualTo("0{\"sid\":\"abc\"}");
        assertThat(SocketIoPacket.connectError("/admin", "Invalid namespace").encode().text())
                .isEqualTo("4/admin,{\"message\":\"Invalid namespace\"}");
        assertThat(SocketIoPacket.disconnect("/").encode().text()).isEqualTo("1");
    }

    @Test
    void binaryDataBecomesPlaceholdersAndAttachments() {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add("file")
                .add(JsonNodeFactory.instance.objectNode().put("name", "x").put("data", new byte[] {9, 8}))
                .add(new byte[] {7});
        SocketIoPacket.Encoded e = SocketIoPacket.event("/", 3, args).encode();
        assertThat(e.text()).isEqualTo("52-3[\"file\",{\"name\":\"x\",\"data\":{\"_placeholder\":true,\"num\":0}},"
                + "{\"_placeholder\":true,\"num\":1}]");
        assertThat(e.attachments()).containsExactly(new byte[] {9, 8}, new byte[] {7});

        SocketIoPacket decoded = SocketIoPacket.decode(e.text());
        assertThat(decoded.type()).isEqualTo(SocketIoPacket.BINARY_EVENT);
        assertThat(decoded.attachments()).isEqualTo(2);
        assertThat(decoded.id()).isEqualTo(3);
        SocketIoPacket whole = decoded.reconstruct(e.attachments());
        assertThat(whole.type()).isEqualTo(SocketIoPacket.EVENT);
        assertThat(whole.data().get(1).get("data").binaryValue()).containsExactly(9, 8);
        assertThat(whole.data().get(2).binaryValue()).containsExactly(7);
    }

    @Test
    void byteArraysInPayloadsStayBinary() {
        JsonNode tree = Json.mapper().valueToTree(Map.of("data", new byte[] {1, 2}));
        assertThat(tree.get("data").isBinary()).isTrue();
    }

    @Test
    void decodesNamespacesIdsAndPayloads() {
        SocketIoPacket p = SocketIoPacket.decode("0/admin,{\"auth_token\":\"t\"}");
        assertThat(p.type()).isEqualTo(SocketIoPacket.CONNECT);
        assertThat(p.namespace()).isEqualTo("/admin");
        assertThat(p.data().get("auth_token").asString()).isEqualTo("t");
        assertThat(SocketIoPacket.decode("0").data()).isNull();
        SocketIoPacket ack = SocketIoPacket.decode("3/admin,42[1]");
        assertThat(ack.namespace()).isEqualTo("/admin");
        assertThat(ack.id()).isEqualTo(42);
        assertThat(SocketIoPacket.decode("1").type()).isEqualTo(SocketIoPacket.DISCONNECT);
        assertThat(SocketIoPacket.decode("2[\"x\"]").namespace()).isEqualTo("/");
    }

    @Test
    void refusesWhatSocketIoParserRefuses() {
        for (String bad : List.of("", "9", "2", "2{}", "2[]", "2[\"connect\"]", "2[{}]", "0[]", "1{}", "3[1]",
                "5[\"x\"]", "5x-[\"x\"]", "5999-[\"x\"]", "2[\"x\"", "4")) {
            assertThatThrownBy(() -> SocketIoPacket.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        SocketIoPacket p = SocketIoPacket.decode("51-[\"x\",{\"_placeholder\":true,\"num\":3}]");
        assertThatThrownBy(() -> p.reconstruct(List.of(new byte[1]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensAreReadLikeUpstream() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", "Bearer abc"))).hasValue("abc");
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", "abc"))).hasValue("abc");
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", "undefined"))).isEmpty();
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", "null"))).isEmpty();
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", ""))).isEmpty();
        assertThat(SocketIoServer.token(f.objectNode().put("auth_token", 5))).isEmpty();
        assertThat(SocketIoServer.token(f.objectNode())).isEmpty();
        assertThat(SocketIoServer.token(null)).isEmpty();
    }

    @Test
    void idsAreLongAndRandom() {
        String a = EngineIoEndpoint.randomId();
        assertThat(a).matches("[A-Za-z0-9_-]{20}").isNotEqualTo(EngineIoEndpoint.randomId());
    }
}

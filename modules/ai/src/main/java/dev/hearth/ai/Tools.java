package dev.hearth.ai;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tool normalisation (spec 4.5): every tool becomes {@code {type:"function", function:{name, description?,
 * parameters}}}, from the OpenAI form, Anthropic's {@code {name, description, input_schema}} or a bare function
 * object. Built-in tools such as {@code {type:"web_search"}} pass unchanged.
 */
final class Tools {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Tools() {}

    static ArrayNode normalize(JsonNode tools) {
        ArrayNode out = NODES.arrayNode();
        if (tools == null || !tools.isArray()) {
            return out;
        }
        for (JsonNode t : tools) {
            if (!t.isObject()) {
                continue;
            }
            String type = t.path("type").asString("");
            if (!type.isEmpty() && !type.equals("function")) {
                out.add(t.deepCopy());
                continue;
            }
            JsonNode fn = t.path("function").isObject() ? t.get("function") : t;
            ObjectNode f = NODES.objectNode().put("name", fn.path("name").asString(""));
            if (fn.path("description").isString()) {
                f.put("description", fn.get("description").asString());
            }
            JsonNode schema = fn.has("parameters") ? fn.get("parameters") : fn.get("input_schema");
            f.set("parameters", schema(schema));
            ObjectNode tool = NODES.objectNode().put("type", "function");
            tool.set("function", f);
            out.add(tool);
        }
        return out;
    }

    private static ObjectNode schema(JsonNode schema) {
        ObjectNode s = schema != null && schema.isObject() ? ((ObjectNode) schema).deepCopy() : NODES.objectNode();
        if (!s.has("type")) {
            s.put("type", "object");
        }
        fixArrays(s);
        return s;
    }

    /** Nested array schemas without {@code items} get {@code items: {}} (some providers refuse them otherwise). */
    private static void fixArrays(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.path("type").asString("").equals("array") && !o.has("items")) {
                o.putObject("items");
            }
            o.properties().forEach(e -> fixArrays(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(Tools::fixArrays);
        }
    }

    static String name(JsonNode tool) {
        return tool.path("function").path("name").asString("");
    }
}

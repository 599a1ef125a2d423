package dev.hearth.kv;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.hearth.drivers.DriverError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Document paths inside a stored value (spec 3.5): {@code ""} (or only dots) is the root; otherwise {@code .}-separated
 * segments, each a map key optionally followed by list indexes ({@code a.b[1].c}). Any text without {@code .},
 * {@code [} or {@code ]} is a key (Hearth's fix of upstream's placeholder quirk). The operations work on a copy of the
 * value and keep DynamoDB's error texts, which clients match.
 */
final class KvPaths {

    static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";
    static final String BAD_OPERAND = "An operand in the update expression has an incorrect data type";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KvPaths() {}

    /** A step: a map key, or (key null) a list index. */
    record Step(String key, int index) {
        boolean isKey() {
            return key != null;
        }

        @Override
        public String toString() {
            return isKey() ? key : "[" + index + "]";
        }
    }

    static List<Step> parse(String path) {
        List<Step> steps = new ArrayList<>();
        for (String segment : path.split("\\.")) {
            if (segment.isEmpty()) {
                continue;
            }
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            if (name.indexOf(']') >= 0) {
                throw new DriverError("Invalid document path: " + path);
            }
            if (!name.isEmpty()) {
                steps.add(new Step(name, -1));
            } else if (steps.isEmpty() && bracket == 0) {
                throw new DriverError(INVALID_PATH);
            }
            int i = bracket;
            while (i >= 0 && i < segment.length()) {
                int close = segment.indexOf(']', i);
                if (segment.charAt(i) != '[' || close < 0) {
                    throw new DriverError("Invalid document path: " + path);
                }
                String digits = segment.substring(i + 1, close);
                if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
                    throw new DriverError("Invalid document path: " + path);
                }
                steps.add(new Step(null, Integer.parseInt(digits)));
                i = close + 1;
            }
        }
        return steps;
    }

    /** Fails with DynamoDB's sentence when one path is a prefix of (or equal to) another. */
    static void requireNoOverlap(List<List<Step>> paths) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                List<Step> a = paths.get(i);
                List<Step> b = paths.get(j);
                List<Step> shorter = a.size() <= b.size() ? a : b;
                List<Step> longer = shorter == a ? b : a;
                if (longer.subList(0, shorter.size()).equals(shorter)) {
                    throw new DriverError("Invalid UpdateExpression: Two document paths overlap with each other; must "
                            + "remove or rewrite one of these paths; path one: " + a + ", path two: " + b);
                }
            }
        }
    }

    /** A value being modified: the root may be replaced, or absent ({@code null}). */
    static final class Doc {
        JsonNode root;

        Doc(JsonNode root) {
            this.root = root == null || root.isNull() ? null : root.deepCopy();
        }

        /** Creates the missing maps on the way to the path's parent (list indexes must exist). */
        void ensureParents(List<Step> path) {
            if (path.isEmpty()) {
                return;
            }
            if (root == null) {
                if (!path.getFirst().isKey()) {
                    throw new DriverError(INVALID_PATH);
                }
                root = NODES.objectNode();
            }
            JsonNode at = root;
            for (int i = 0; i < path.size() - 1; i++) {
                Step s = path.get(i);
                Step next = path.get(i + 1);
                if (s.isKey()) {
                    if (!(at instanceof ObjectNode o)) {
                        throw new DriverError(INVALID_PATH);
                    }
                    JsonNode child = o.get(s.key());
                    if (child == null || child.isNull() && next.isKey()) {
                        if (!next.isKey()) {
                            throw new DriverError(INVALID_PATH);
                        }
                        child = o.putObject(s.key());
                    }
                    at = child;
                } else {
                    if (!at.isArray() || s.index() >= at.size()) {
                        throw new DriverError(INVALID_PATH);
                    }
                    at = at.get(s.index());
                }
            }
        }

        /** The value at the path, or null if absent. */
        JsonNode get(List<Step> path) {
            JsonNode at = root;
            for (Step s : path) {
                if (at == null) {
                    return null;
                }
                at = s.isKey() ? (at.isObject() ? at.get(s.key()) : null)
                        : (at.isArray() && s.index() < at.size() ? at.get(s.index()) : null);
            }
            return at;
        }

        private JsonNode parent(List<Step> path) {
            JsonNode parent = get(path.subList(0, path.size() - 1));
            if (parent == null) {
                throw new DriverError(INVALID_PATH);
            }
            return parent;
        }

        void set(List<Step> path, JsonNode value) {
            if (path.isEmpty()) {
                root = value;
                return;
            }
            JsonNode parent = parent(path);
            Step last = path.getLast();
            if (last.isKey()) {
                if (!(parent instanceof ObjectNode o)) {
                    throw new DriverError(INVALID_PATH);
                }
                o.set(last.key(), value);
            } else {
                if (!(parent instanceof ArrayNode a)) {
                    throw new DriverError(INVALID_PATH);
                }
                if (last.index() < a.size()) {
                    a.set(last.index(), value);
                } else {
                    a.add(value);
                }
            }
        }

        /** Removes every path at once (list indexes refer to the value before any removal). */
        void removeAll(List<List<Step>> paths) {
            record Removal(JsonNode parent, Step step) {}
            List<Removal> removals = new ArrayList<>();
            for (List<Step> path : paths) {
                if (path.isEmpty()) {
                    removals.add(new Removal(null, null));
                    continue;
                }
                JsonNode parent = parent(path);
                Step last = path.getLast();
                if (last.isKey() != parent.isObject() || !last.isKey() && !parent.isArray()) {
                    throw new DriverError(INVALID_PATH);
                }
                removals.add(new Removal(parent, last));
            }
            removals.sort(Comparator.comparingInt((Removal r) -> r.step() == null || r.step().isKey() ? 0
                    : -r.step().index()));
            for (Removal r : removals) {
                if (r.parent() == null) {
                    root = null;
                } else if (r.step().isKey()) {
                    ((ObjectNode) r.parent()).remove(r.step().key());
                } else if (r.step().index() < r.parent().size()) {
                    ((ArrayNode) r.parent()).remove(r.step().index());
                }
            }
        }
    }

    /** DynamoDB-like decimal addition; the result as JSON reads it back (integers stay integers). */
    static JsonNode add(JsonNode a, JsonNode b) {
        BigDecimal sum = a.decimalValue().add(b.decimalValue());
        return number(sum);
    }

    static JsonNode number(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return NODES.numberNode(stripped.longValueExact());
        }
        if (stripped.scale() <= 0) {
            return NODES.numberNode(new BigInteger(stripped.toPlainString()));
        }
        return NODES.numberNode(d.doubleValue());
    }

    /** The value with every integral floating-point number written as an integer, as JavaScript would show it. */
    static JsonNode normalize(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isFloatingPointNumber()) {
            double d = v.doubleValue();
            if (!Double.isInfinite(d) && !Double.isNaN(d) && d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                return NODES.numberNode((long) d);
            }
            return v;
        }
        if (v.isObject()) {
            ObjectNode out = NODES.objectNode();
            v.properties().forEach(e -> out.set(e.getKey(), normalize(e.getValue())));
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = NODES.arrayNode();
            v.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return v;
    }
}

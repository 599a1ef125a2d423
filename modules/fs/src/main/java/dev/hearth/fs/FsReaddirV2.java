package dev.hearth.fs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.ApiError;
import tools.jackson.databind.JsonNode;

/**
 * The options of {@code /fs/readdir} (puterjs-client-contract.md 5.11) beyond a plain listing in creation order:
 * {@code sortBy}/{@code sort_by} ({@code name}, {@code modified}, {@code type}, {@code size}) with
 * {@code sortOrder}/{@code sort_order}, {@code offset}, {@code includeTotal} ({@code total}), and {@code recursive}
 * with {@code depth} (default and at most 10; ordered by path; always paginated). Such listings are read whole,
 * sorted, then cut into pages whose cursors are offsets ({@code o<n>}), so they are capped at {@link #MAX_LISTED}
 * entries.
 */
final class FsReaddirV2 {

    static final int MAX_DEPTH = 10;
    static final int MAX_LISTED = 100_000;
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private FsReaddirV2() {}

    /** Whether the request asks for more than the plain listing in creation order. */
    static boolean applies(JsonNode p) {
        return p.has("sortBy") || p.has("sort_by") || p.has("offset") || FilesystemRoutes.truthy(p, "recursive")
                || FilesystemRoutes.truthy(p, "includeTotal")
                || FilesystemRoutes.string(p, "cursor").filter(c -> c.startsWith("o")).isPresent();
    }

    /** The answer: a bare array, or the envelope {@code {items, cursor?, total?}}. */
    static Object answer(Filesystem fs, FsUser user, NodeRef ref, JsonNode p) {
        boolean recursive = FilesystemRoutes.truthy(p, "recursive");
        boolean includeTotal = FilesystemRoutes.truthy(p, "includeTotal");
        boolean envelope = p.has("cursor") || includeTotal || recursive;
        if (recursive && ref instanceof NodeRef.ByPath byPath && byPath.path().isRoot()) {
            throw ApiError.badRequest("`recursive` cannot list the root.");
        }
        List<Entry> all = new ArrayList<>();
        if (recursive) {
            int depth = (int) Math.clamp(number(p, "depth").orElse((long) MAX_DEPTH), 1, MAX_DEPTH);
            Deque<Map.Entry<NodeRef, Integer>> todo = new ArrayDeque<>();
            todo.add(Map.entry(ref, 1));
            boolean first = true;
            while (!todo.isEmpty() && all.size() < MAX_LISTED) {
                var next = todo.poll();
                try (var children = fs.readdir(user, next.getKey())) {
                    for (Entry e : (Iterable<Entry>) children::iterator) {
                        if (all.size() >= MAX_LISTED) {
                            break;
                        }
                        all.add(e);
                        if (e.isDir() && !e.isSymlink() && next.getValue() < depth) {
                            todo.add(Map.entry(NodeRef.uid(e.uuid()), next.getValue() + 1));
                        }
                    }
                } catch (ApiError refused) {
                    if (first) {
                        throw refused; // the directory asked for; a subdirectory the actor may not list is skipped
                    }
                }
                first = false;
            }
            all.sort(Comparator.comparing(e -> e.path().value()));
        } else {
            try (var children = fs.readdir(user, ref)) {
                children.limit(MAX_LISTED).forEach(all::add);
            }
        }
        sort(all, p);
        int total = all.size();
        long offset = FilesystemRoutes.string(p, "cursor").filter(c -> c.startsWith("o")).map(c -> {
            try {
                return Long.parseLong(c.substring(1));
            } catch (NumberFormatException bad) {
                throw ApiError.fieldInvalid("cursor", "a cursor from an earlier page", c);
            }
        }).orElse(number(p, "offset").orElse(0L));
        offset = Math.clamp(offset, 0, total);
        Optional<Long> limitParam = number(p, "limit");
        long limit = Math.clamp(limitParam.orElse((long) (envelope ? DEFAULT_LIMIT : total)), 1, envelope ? MAX_LIMIT
                : Math.max(1, total));
        List<Entry> page = all.subList((int) offset, (int) Math.min(total, offset + limit));
        List<Map<String, Object>> items = page.stream().map(FsJson::v2).toList();
        if (!envelope) {
            return items;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        if (offset + page.size() < total) {
            out.put("cursor", "o" + (offset + page.size()));
        }
        if (includeTotal) {
            out.put("total", total);
        }
        return out;
    }

    private static void sort(List<Entry> entries, JsonNode p) {
        Optional<String> by = FilesystemRoutes.string(p, "sortBy").or(() -> FilesystemRoutes.string(p, "sort_by"))
                .map(s -> s.toLowerCase(Locale.ROOT));
        boolean desc = FilesystemRoutes.string(p, "sortOrder").or(() -> FilesystemRoutes.string(p, "sort_order"))
                .map(s -> s.equalsIgnoreCase("desc")).orElse(false);
        Comparator<Entry> order = switch (by.orElse("")) {
            case "name" -> Comparator.comparing(Entry::name);
            case "modified" -> Comparator.comparingLong(Entry::modified);
            case "size" -> Comparator.comparingLong(e -> e.size().orElse(0L));
            case "type" -> Comparator.comparing(e -> FsJson.type(e).orElse(""));
            default -> null; // unknown values are ignored, as upstream does
        };
        if (order == null) {
            return;
        }
        order = order.thenComparing(Entry::name);
        entries.sort(desc ? order.reversed() : order);
    }

    private static Optional<Long> number(JsonNode p, String key) {
        JsonNode v = p.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            return Optional.of(v.asLong());
        }
        if (v.isString() && !v.asString().isEmpty() && v.asString().chars().allMatch(Character::isDigit)
                && v.asString().length() < 12) {
            return Optional.of(Long.parseLong(v.asString())); // GET /fs/readdir?limit=10
        }
        throw ApiError.fieldInvalid(key, "a number", v.isString() ? v.asString() : v.toString());
    }
}

package dev.hearth.hosting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * The error pages a site declares in its {@code .puter_site_config} (spec 5.5): which file (inside the site) to send,
 * and with which status, for an error status. Understood forms: CloudFront's {@code CustomErrorResponses}; a map of
 * codes ({@code "404"}, {@code "4xx"}, {@code "default"}) at the top or under {@code errors}, {@code errorPages} or
 * {@code error_pages}, whose values are a path, a status or a rule object; a top-level rule object (the default rule);
 * Vercel-style catch-all {@code rewrites}/{@code routes} (single-page-app fallbacks); nginx's
 * {@code error_page 404 [=200] /index.html;}. Lookup: the exact code, then its class, then the default.
 */
final class SiteErrorPages {

    /** What to answer for an error: a file of the site (an absolute path inside it) and/or a status. */
    record Rule(Optional<String> file, Optional<Integer> status) {}

    static final SiteErrorPages NONE = new SiteErrorPages(Map.of());

    private static final List<String> FILE_KEYS = List.of("file", "path", "page", "responsePagePath", "destination",
            "dest");
    private static final List<String> STATUS_KEYS = List.of("status", "code", "statusCode", "responseCode",
            "responseStatus");
    private static final Set<String> CATCH_ALL = Set.of("/:path*", "/(.*)", "/.*", "^/(.*)$", "/*", "/**", "(.*)",
            "/:path(.*)", "^/.*$");
    private static final Pattern NGINX = Pattern.compile("error_page\\s+([^;]+);");

    private final Map<String, Rule> rules;

    private SiteErrorPages(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The rule for {@code status}: exact, then {@code 4xx}/{@code 5xx}, then {@code default}. */
    Optional<Rule> forStatus(int status) {
        return Optional.ofNullable(rules.get(Integer.toString(status)))
                .or(() -> Optional.ofNullable(rules.get(status / 100 + "xx")))
                .or(() -> Optional.ofNullable(rules.get("default")));
    }

    static SiteErrorPages parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                return json(Json.mapper().readTree(trimmed));
            } catch (RuntimeException notJson) {
                // fall through to the nginx form
            }
        }
        Map<String, Rule> rules = new HashMap<>();
        Matcher m = NGINX.matcher(text);
        while (m.find()) {
            String[] words = m.group(1).trim().split("\\s+");
            Optional<Integer> status = Optional.empty();
            Optional<String> file = Optional.empty();
            List<String> codes = new java.util.ArrayList<>();
            for (String w : words) {
                if (w.matches("\\d{3}")) {
                    codes.add(w);
                } else if (w.matches("=\\d{3}")) {
                    status = Optional.of(Integer.parseInt(w.substring(1)));
                } else if (w.startsWith("/")) {
                    file = Optional.of(w);
                }
                // URLs and @named locations are ignored.
            }
            if (file.isPresent() || status.isPresent()) {
                for (String code : codes) {
                    rules.putIfAbsent(code, new Rule(file, status));
                }
            }
        }
        return new SiteErrorPages(rules);
    }

    private static SiteErrorPages json(JsonNode root) {
        Map<String, Rule> rules = new HashMap<>();
        if (!root.isObject()) {
            return NONE;
        }
        JsonNode cloudFront = root.get("CustomErrorResponses");
        if (cloudFront != null && cloudFront.isArray()) {
            for (JsonNode r : cloudFront) {
                String code = r.path("ErrorCode").asString("");
                rule(r.get("ResponsePagePath"), r.get("ResponseCode")).ifPresent(rule -> rules.putIfAbsent(code, rule));
            }
        }
        for (String key : List.of("errors", "errorPages", "error_pages")) {
            JsonNode map = root.get(key);
            if (map != null && map.isObject()) {
                codes(map, rules);
            }
        }
        codes(root, rules);
        for (String key : List.of("rewrites", "routes")) {
            JsonNode list = root.get(key);
            if (list != null && list.isArray()) {
                for (JsonNode r : list) {
                    String source = r.path("source").asString(r.path("src").asString(""));
                    if (CATCH_ALL.contains(source)) {
                        JsonNode status = r.get("status");
                        rule(r.get("destination") != null ? r.get("destination") : r.get("dest"),
                                status == null ? Json.mapper().getNodeFactory().numberNode(200) : status)
                                .ifPresent(rule -> rules.putIfAbsent("404", rule));
                    }
                }
            }
        }
        // A top-level rule object is the default rule.
        if (!rules.containsKey("default") && FILE_KEYS.stream().anyMatch(root::has)) {
            ruleObject(root).ifPresent(rule -> rules.put("default", rule));
        }
        return new SiteErrorPages(rules);
    }

    private static void codes(JsonNode map, Map<String, Rule> rules) {
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String key = e.getKey();
            if (key.matches("\\d{3}|[1-5]xx") || key.equals("default")) {
                JsonNode v = e.getValue();
                Optional<Rule> rule = v.isString() ? rule(v, null) : v.isNumber() ? rule(null, v) : ruleObject(v);
                rule.ifPresent(r -> rules.putIfAbsent(key, r));
            }
        }
    }

    private static Optional<Rule> ruleObject(JsonNode v) {
        if (!v.isObject()) {
            return Optional.empty();
        }
        JsonNode file = FILE_KEYS.stream().map(v::get).filter(n -> n != null && n.isString()).findFirst().orElse(null);
        JsonNode status = STATUS_KEYS.stream().map(v::get).filter(n -> n != null && !n.isNull()).findFirst()
                .orElse(null);
        return rule(file, status);
    }

    private static Optional<Rule> rule(JsonNode file, JsonNode status) {
        Optional<String> f = Optional.ofNullable(file).filter(JsonNode::isString).map(JsonNode::asString)
                .filter(p -> !p.isBlank() && !p.startsWith("@") && !p.contains("://"))
                .map(p -> p.startsWith("/") ? p : "/" + p);
        Optional<Integer> s = Optional.ofNullable(status).flatMap(n -> {
            String t = n.isNumber() ? Integer.toString(n.asInt()) : n.isString() ? n.asString().trim() : "";
            return t.matches("[1-5]\\d\\d") ? Optional.of(Integer.parseInt(t)) : Optional.empty();
        });
        return f.isEmpty() && s.isEmpty() ? Optional.empty() : Optional.of(new Rule(f, s));
    }
}

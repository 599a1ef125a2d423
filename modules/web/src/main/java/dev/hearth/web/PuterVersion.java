package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code puter-version} service: {@code GET /version} in upstream's field order (examples.md 6.2), with
 * Hearth's own version and the additive {@code product} and {@code compat} fields.
 */
final class PuterVersion implements Service, HttpService {

    /** The Puter version whose wire contract Hearth speaks. */
    static final String COMPAT = "2.5.1";

    private final ServiceContext context;
    private final long bootMillis = System.currentTimeMillis();

    PuterVersion(ServiceContext context) {
        this.context = context;
    }

    static String hearthVersion() {
        try (InputStream in = PuterVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "0.0.0-dev" : v;
        } catch (IOException e) {
            return "0.0.0-dev";
        }
    }

    @Override
    public void routes(Router router) {
        Map<String, Object> body = new LinkedHashMap<>();
        String version = hearthVersion();
        body.put("version", version);
        body.put("environment", context.config().string("env").orElse("dev"));
        String serverId = context.config().string("server_id").orElse("");
        body.put("location", serverId.isEmpty() ? "local" : serverId); // Puter turns '' into 'local'
        body.put("deploy_timestamp", bootMillis);
        body.put("version_text", version);
        body.put("product", "hearth");
        body.put("compat", COMPAT);
        Map<String, Object> answer = java.util.Collections.unmodifiableMap(body);
        router.api().get("/version", (req, res) -> res.json(answer));
    }
}

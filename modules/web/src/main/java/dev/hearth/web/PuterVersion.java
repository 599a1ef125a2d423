package dev.hearth.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.kernel.Version;

/**
 * The {@code puter-version} service: {@code GET /version} in upstream's field order (examples.md 6.2), with
 * Hearth's own version and the additive {@code product} and {@code compat} fields.
 */
final class PuterVersion implements Service, HttpService {

    private final ServiceContext context;
    private final long bootMillis = System.currentTimeMillis();

    PuterVersion(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void routes(Router router) {
        Map<String, Object> body = new LinkedHashMap<>();
        String version = Version.current();
        body.put("version", version);
        body.put("environment", context.config().string("env").orElse("dev"));
        String serverId = context.config().string("server_id").orElse("");
        body.put("location", serverId.isEmpty() ? "local" : serverId); // Puter turns '' into 'local'
        body.put("deploy_timestamp", bootMillis);
        body.put("version_text", version);
        body.put("product", "hearth");
        body.put("compat", Version.PUTER_COMPAT);
        Map<String, Object> answer = java.util.Collections.unmodifiableMap(body);
        router.api().get("/version", (req, res) -> res.json(answer));
    }
}

package dev.hearth.ai;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;

/**
 * The chat model lists (spec 4.8): {@code GET /puterai/chat/models} (names) and {@code /puterai/chat/models/details}
 * (what {@code puter.ai.listModels()} reads), any host, no authentication, the test models left out.
 */
final class AiRoutes implements Service, HttpService {

    private final ServiceContext context;
    private volatile AiChat chat;

    AiRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        chat = context.services().get(AiChat.class);
    }

    @Override
    public void routes(Router router) {
        Router any = router.anyHost();
        any.get("/puterai/chat/models", this::models);
        any.get("/puterai/chat/models/details", this::details);
    }

    private List<ModelInfo> listed() {
        return chat.registry().all().stream().filter(m -> !ModelRegistry.HIDDEN.contains(m.id())).toList();
    }

    private void models(Request req, Response res) {
        res.json(Map.of("models", listed().stream().map(ModelInfo::listedName).distinct().sorted().toList()));
    }

    private void details(Request req, Response res) {
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : listed()) {
            byId.putIfAbsent(m.id(), m);
        }
        List<ModelInfo> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparing(ModelInfo::provider).thenComparing(ModelInfo::id));
        res.json(Map.of("models", sorted.stream().map(ModelInfo::description).toList()));
    }
}

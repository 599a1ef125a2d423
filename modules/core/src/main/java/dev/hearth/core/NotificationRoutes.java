package dev.hearth.core;

import java.util.Map;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;

/**
 * The {@code notification-http} service: {@code POST /notif/mark-ack} and {@code POST /notif/mark-read} (spec
 * real-time 6.2), body {@code {uid}}, on the platform hosts, for any authenticated actor acting for a user. Only the
 * caller's own notifications change; the answer is {@code {}} either way, so that it tells nothing of other users'.
 */
final class NotificationRoutes implements Service, HttpService {

    private final ServiceContext context;
    private volatile Notifications notifications;

    NotificationRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        notifications = context.services().get(Notifications.class);
    }

    @Override
    public void routes(Router router) {
        Router platform = router.platform();
        platform.post("/notif/mark-ack", HttpAuth.required((req, res) -> mark(req, res, false)));
        platform.post("/notif/mark-read", HttpAuth.required((req, res) -> mark(req, res, true)));
    }

    private void mark(Request req, Response res, boolean read) {
        User user = HttpAuth.actor().actingUser().orElseThrow(ApiError::forbidden);
        JsonNode uid = req.jsonTree().get("uid");
        if (uid == null || uid.isNull()) {
            throw ApiError.fieldMissing("uid");
        }
        if (!uid.isString()) {
            throw ApiError.fieldInvalid("uid", "string", uid.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (read) {
            notifications.markRead(user.id(), uid.asString());
        } else {
            notifications.acknowledge(user.id(), uid.asString());
        }
        res.json(Map.of());
    }
}

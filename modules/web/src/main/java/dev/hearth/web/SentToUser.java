package dev.hearth.web;

import dev.hearth.kernel.EventMeta;
import tools.jackson.databind.JsonNode;

/**
 * The data of the application event {@code sent-to-user.<event>}, emitted once per user after an
 * {@code outer.gui.<event>} was delivered to that user's room.
 *
 * @param meta the delivery facts of the {@code outer.gui} event
 */
public record SentToUser(long userId, JsonNode response, EventMeta meta) {}

package dev.hearth.web;

import dev.hearth.kernel.Actor;

/**
 * The data of the application events {@code web.socket.connected} (a socket joined its user's room) and
 * {@code web.socket.user-connected} (the GUI said {@code puter_is_actually_open}); both are emitted with the
 * socket's actor and id bound in the {@link dev.hearth.kernel.Context}.
 */
public record UserSocket(String socketId, long userId, Actor actor) {}

package dev.hearth.web;

/**
 * Answers one request. It runs on its own virtual thread, so blocking code is fine. It may throw: an
 * {@link dev.hearth.kernel.ApiError} becomes Puter's JSON error body with the error's status; anything else
 * becomes a JSON {@code 500} that names the request id (the stack trace goes to the log, not to the client).
 */
@FunctionalInterface
public interface Handler {

    void handle(Request req, Response res) throws Exception;
}

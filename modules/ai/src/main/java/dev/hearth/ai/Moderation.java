package dev.hearth.ai;

import dev.hearth.kernel.ApiError;

/**
 * The moderation step of a chat (spec 4.9): off unless configured ({@code services.ai-chat.moderation}). A flagged
 * prompt fails with {@code moderation_failed}; a moderation service that cannot be reached lets the prompt through
 * and logs it, so that an outage of the moderator does not stop every chat.
 */
interface Moderation {

    Moderation NONE = text -> {};

    /** Throws {@code moderation_failed} when {@code text} is flagged. */
    void check(String text);

    static ApiError failed() {
        return ApiError.of(422, "moderation_failed", "Content moderation failed");
    }
}

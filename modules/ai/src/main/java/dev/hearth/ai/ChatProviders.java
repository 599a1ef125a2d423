package dev.hearth.ai;

import java.util.ArrayList;
import java.util.List;

import dev.hearth.kernel.Config;

/** The chat providers and the moderation step that the configuration enables (spec 4.1, 7). */
record ChatProviders(List<ChatProvider> providers, Moderation moderation) {

    static ChatProviders fromConfig(Config config, AiChatSettings settings) {
        List<ChatProvider> providers = new ArrayList<>();
        return new ChatProviders(providers, Moderation.NONE);
    }
}

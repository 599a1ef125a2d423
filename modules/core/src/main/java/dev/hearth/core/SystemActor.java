package dev.hearth.core;

import java.util.Optional;

/** Hearth itself, for internal work: every permission and ACL check passes. Never the result of a token. */
public record SystemActor() implements Actor {

    public static final SystemActor INSTANCE = new SystemActor();

    @Override
    public Optional<User> actingUser() {
        return Optional.empty();
    }

    @Override
    public String uid() {
        return "system";
    }
}

package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

class ContextTest {

    record User(String uid) implements Actor {}

    @Test
    void theContextIsBoundOnlyInsideItsScope() {
        assertThat(Context.current()).isEmpty();
        Context c = Context.create("r1").withActor(new User("u1")).withSocketId("s1");
        c.run(() -> {
            Context now = Context.current().orElseThrow();
            assertThat(now.requestId()).isEqualTo("r1");
            assertThat(now.actor()).map(Actor::uid).contains("u1");
            assertThat(now.socketId()).contains("s1");
        });
        assertThat(Context.current()).isEmpty();
    }

    @Test
    void workHandedToAnotherThreadCarriesTheContextOnlyWhenAskedTo() throws Exception {
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            String[] seen = new String[2];
            Context.create("r2").call(() -> {
                pool.submit(() -> seen[0] = Context.current().map(Context::requestId).orElse("none")).get();
                pool.submit(Context.carry(() -> seen[1] = Context.current().map(Context::requestId).orElse("none"))).get();
                return null;
            });
            assertThat(seen).containsExactly("none", "r2");
            assertThat(pool.submit(Context.carry(() -> Context.current().isPresent())).get()).isFalse();
        }
    }
}

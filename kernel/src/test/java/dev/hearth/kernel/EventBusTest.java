package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class EventBusTest {

    final List<String> failures = new CopyOnWriteArrayList<>();
    final EventBus bus = new EventBus(Duration.ofSeconds(5), (key, t) -> failures.add(key + ": " + t.getMessage()));

    @Test
    void wildcardsRunFromTheWidestPrefixToTheExactKeyThenGlobal() {
        List<String> heard = new CopyOnWriteArrayList<>();
        bus.on("*", (k, d, m) -> heard.add("*"));
        bus.on("fs.write.file", (k, d, m) -> heard.add("exact"));
        bus.on("fs.write.*", (k, d, m) -> heard.add("fs.write.*"));
        bus.on("fs.*", (k, d, m) -> heard.add("fs.*"));
        bus.on("fs.write.file.*", (k, d, m) -> heard.add("too deep"));
        bus.on("fs.remove.*", (k, d, m) -> heard.add("other branch"));
        bus.on("fs.*", (k, d, m) -> heard.add("fs.* second"));

        bus.emit("fs.write.file", Map.of());

        assertThat(heard).containsExactly("fs.*", "fs.* second", "fs.write.*", "exact", "*");
    }

    @Test
    void aFailingListenerIsReportedAndTheOthersStillRun() {
        List<String> heard = new CopyOnWriteArrayList<>();
        bus.on("a.b", (k, d, m) -> heard.add("first"));
        bus.on("a.b", (k, d, m) -> { throw new IllegalStateException("boom"); });
        bus.on("a.b", (k, d, m) -> heard.add("third"));

        bus.emit("a.b", null);

        assertThat(heard).containsExactly("first", "third");
        assertThat(failures).containsExactly("a.b: boom");
    }

    @Test
    void detachedListenersHearNothingMore() {
        List<Object> heard = new CopyOnWriteArrayList<>();
        Subscription s = bus.on("x.*", (k, d, m) -> heard.add(d));
        bus.emit("x.y", 1);
        s.detach();
        bus.emit("x.y", 2);
        assertThat(heard).containsExactly(1);
    }

    static final class Policy {
        boolean allow = true;
    }

    @Test
    void listenersMayChangeAHookObjectThatTheEmitterReadsBack() {
        bus.on("ip.validate", (k, d, m) -> ((Policy) d).allow = false);
        Policy p = new Policy();
        bus.emit("ip.validate", p);
        assertThat(p.allow).isFalse();
    }

    @Test
    void metaTellsWhetherAnEventCameFromOutside() {
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        bus.on("outer.gui.item.added", (k, d, m) -> seen.add(m.fromOutside()));
        bus.emit("outer.gui.item.added", Map.of());
        bus.emit("outer.gui.item.added", Map.of(), EventMeta.FROM_OUTSIDE);
        assertThat(seen).containsExactly(false, true);
    }

    @Test
    void aStuckListenerDoesNotBlockTheEmitterForEver() {
        EventBus quick = new EventBus(Duration.ofMillis(100), (key, t) -> failures.add(key + ": " + t.getMessage()));
        CountDownLatch never = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        quick.on("slow", (k, d, m) -> never.await());
        quick.on("slow", (k, d, m) -> heard.add("after"));

        quick.emit("slow", null);

        assertThat(heard).containsExactly("after");
        assertThat(failures).singleElement().asString().startsWith("slow: listener did not finish within 100 ms");
        never.countDown();
    }

    @Test
    void theEmittersContextReachesTheListener() {
        List<String> ids = new CopyOnWriteArrayList<>();
        bus.on("ctx", (k, d, m) -> ids.add(Context.current().map(Context::requestId).orElse("none")));
        Context.create("req-42").run(() -> bus.emit("ctx", null));
        bus.emit("ctx", null);
        assertThat(ids).containsExactly("req-42", "none");
    }

    @Test
    void selectorsAreChecked() {
        assertThatThrownBy(() -> bus.on("a.*.b", (k, d, m) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.on("", (k, d, m) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventBus.selectorsFor("a.b.c")).containsExactly("a.*", "a.b.*", "a.b.c", "*");
    }
}

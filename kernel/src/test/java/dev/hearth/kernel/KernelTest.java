package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTest {

    @TempDir
    Path dataDir;

    /** Writes "<name>:<phase>" to a shared journal in each phase; fails in {@code failIn} if set. */
    static final class Recorder implements Service {
        final String name;
        final List<String> journal;
        final Phase failIn;

        Recorder(ServiceContext ctx, List<String> journal, Phase failIn) {
            this.name = ctx.name();
            this.journal = journal;
            this.failIn = failIn;
            journal.add(name + ":construct");
        }

        private void step(Phase p) {
            journal.add(name + ":" + p.label());
            if (p == failIn) {
                throw new IllegalStateException("broken on purpose");
            }
        }

        @Override public void init() { step(Phase.INIT); }
        @Override public void consolidate() { step(Phase.CONSOLIDATION); }
        @Override public void activate() { step(Phase.ACTIVATION); }
        @Override public void ready() { step(Phase.READY); }
        @Override public void drain() { journal.add(name + ":drain"); }
        @Override public void shutdown() { journal.add(name + ":shutdown"); }
    }

    static Module module(String name, List<String> journal, Phase failIn, String... services) {
        return new Module() {
            @Override public String name() { return name; }
            @Override public void install(ModuleInstaller installer) {
                for (String s : services) {
                    installer.register(s, ctx -> new Recorder(ctx, journal, s.endsWith("!") ? failIn : null));
                }
            }
        };
    }

    private Kernel.Builder kernel() {
        return Kernel.builder(Config.empty(dataDir));
    }

    @Test
    void blankKernelBootsAndShutsDown() {
        Kernel k = kernel().build();
        k.boot();
        assertThat(k.phase()).isEqualTo(Phase.READY);
        assertThat(k.services().entries()).isEmpty();
        assertThat(k.modules()).isEmpty();
        k.shutdown();
        assertThat(k.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void everyServiceFinishesAPhaseBeforeAnyStartsTheNextInRegistrationOrder() {
        List<String> journal = new CopyOnWriteArrayList<>();
        Kernel k = kernel().module(module("one", journal, null, "a", "b")).module(module("two", journal, null, "c")).build();
        k.boot();
        k.shutdown();
        assertThat(journal).containsExactly(
                "a:construct", "b:construct", "c:construct",
                "a:init", "b:init", "c:init",
                "a:consolidation", "b:consolidation", "c:consolidation",
                "a:activation", "b:activation", "c:activation",
                "a:ready", "b:ready", "c:ready",
                "a:drain", "b:drain", "c:drain",
                "c:shutdown", "b:shutdown", "a:shutdown");
        assertThat(k.modules()).extracting(Kernel.ModuleInfo::name).containsExactly("one", "two");
        assertThat(k.modules().getFirst().services()).containsExactly("a", "b");
    }

    @Test
    void aFailingServiceStopsTheBootNamingItAndWhatWasConstructedIsShutDown() {
        List<String> journal = new CopyOnWriteArrayList<>();
        Kernel k = kernel().module(module("m", journal, Phase.CONSOLIDATION, "a", "b!", "c")).build();
        assertThatThrownBy(k::boot)
                .isInstanceOf(BootException.class)
                .hasMessage("service 'b!' failed during consolidation: broken on purpose")
                .satisfies(e -> assertThat(((BootException) e).service()).isEqualTo("b!"));
        assertThat(journal).contains("a:consolidation", "b!:consolidation").doesNotContain("c:consolidation", "a:activation");
        assertThat(journal.subList(journal.size() - 6, journal.size()))
                .containsExactly("a:drain", "b!:drain", "c:drain", "c:shutdown", "b!:shutdown", "a:shutdown");
        assertThat(k.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void aFailingConstructorIsNamedToo() {
        Module m = new Module() {
            @Override public String name() { return "m"; }
            @Override public void install(ModuleInstaller installer) {
                installer.register("fragile", ctx -> { throw new IllegalArgumentException("no fields today"); });
            }
        };
        assertThatThrownBy(() -> kernel().module(m).build().boot())
                .isInstanceOf(BootException.class)
                .hasMessage("service 'fragile' failed during construct: no fields today");
    }

    @Test
    void serviceNamesAreUnique() {
        List<String> journal = new CopyOnWriteArrayList<>();
        Kernel k = kernel().module(module("one", journal, null, "a")).module(module("two", journal, null, "a")).build();
        assertThatThrownBy(k::boot).isInstanceOf(BootException.class)
                .hasMessageContaining("module 'two' failed to install")
                .hasMessageContaining("'a' is already registered");
        assertThat(journal).isEmpty();
    }

    @Test
    void bootCanStopAfterConsolidation() {
        List<String> journal = new CopyOnWriteArrayList<>();
        Kernel k = kernel().module(module("m", journal, null, "a")).build();
        k.boot(Phase.CONSOLIDATION);
        assertThat(journal).containsExactly("a:construct", "a:init", "a:consolidation");
        assertThat(k.phase()).isEqualTo(Phase.CONSOLIDATION);
        k.shutdown();
        assertThat(journal).endsWith("a:shutdown");
        assertThatThrownBy(k::boot).isInstanceOf(IllegalStateException.class);
    }

    interface Greeter { String greet(); }

    record English(String name) implements Service, Greeter { public String greet() { return "hello"; } }

    record French(String name) implements Service, Greeter { public String greet() { return "bonjour"; } }

    record Lonely() implements Service {}

    @Test
    void servicesAreFoundByType() {
        Kernel k = kernel().module(new Module() {
            @Override public String name() { return "m"; }
            @Override public void install(ModuleInstaller i) {
                i.register("en", ctx -> new English(ctx.name()));
                i.register("fr", ctx -> new French(ctx.name()));
                i.register("lonely", ctx -> new Lonely());
            }
        }).build();
        k.boot();
        Services s = k.services();
        assertThat(s.all(Greeter.class)).extracting(Greeter::greet).containsExactly("hello", "bonjour");
        assertThat(s.get(Lonely.class)).isInstanceOf(Lonely.class);
        assertThat(s.find(English.class)).map(English::name).contains("en");
        assertThat(s.find(Runnable.class)).isEmpty();
        assertThatThrownBy(() -> s.get(Greeter.class)).hasMessageContaining("ambiguous").hasMessageContaining("en, fr");
        assertThatThrownBy(() -> s.get(Runnable.class)).hasMessageContaining("missing service");
        assertThat(s.byName("fr")).containsInstanceOf(French.class);
        k.shutdown();
    }

    record Settings(String greeting, int times) {
        Settings {
            if (greeting == null) greeting = "hi";
            if (times < 0) throw ConfigException.invalid("times", times, "zero or more");
        }
    }

    @Test
    void aServiceReadsItsOwnSectionAndABadValueFailsTheBootNamingTheKey() {
        Config config = Config.empty(dataDir).with("services.greeter.times", -2);
        Module m = new Module() {
            @Override public String name() { return "m"; }
            @Override public void install(ModuleInstaller i) {
                i.register("greeter", ctx -> { ctx.settings(Settings.class); return new Lonely(); });
            }
        };
        assertThatThrownBy(() -> Kernel.builder(config).module(m).build().boot())
                .isInstanceOf(BootException.class)
                .hasMessageContaining("config key `services.greeter.times` has the value -2; allowed: zero or more");
    }
}

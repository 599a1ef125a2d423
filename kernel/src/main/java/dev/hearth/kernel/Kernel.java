package dev.hearth.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises modules, and nothing more: it installs them (built-in ones first, then external ones from
 * {@code <data-dir>/mods/}), takes their services through the boot phases, and shuts them down in reverse.
 * A kernel with no modules boots too: a blank slate.
 *
 * <pre>{@code
 * Kernel kernel = Kernel.builder(config).module(new WebModule()).module(new CoreModule()).build();
 * kernel.boot();
 * ...
 * kernel.shutdown();
 * }</pre>
 */
public final class Kernel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Kernel.class);

    /** Information about an installed module. */
    public record ModuleInfo(String name, boolean external, List<String> services) {}

    private record Registration(String name, String module, ServiceFactory<?> factory) {}

    private final Config config;
    private final List<Module> builtIn;
    private final boolean loadExternal;
    private final Services services = new Services();
    private final EventBus events;
    private final List<ModuleInfo> moduleInfos = new ArrayList<>();
    private final List<Services.Entry> constructed = new ArrayList<>();
    private ExternalModules external;
    private volatile Phase phase = Phase.NEW;

    private Kernel(Builder b) {
        this.config = b.config;
        this.builtIn = List.copyOf(b.modules);
        this.loadExternal = b.loadExternal;
        this.events = new EventBus(b.listenerTimeout,
                (key, failure) -> log.error("a listener of event '{}' failed: {}", key, failure.toString(), failure));
    }

    public static Builder builder(Config config) {
        return new Builder(config);
    }

    /** Installs the modules and runs every boot phase; on failure, shuts down what was constructed. */
    public void boot() {
        boot(Phase.READY);
    }

    /**
     * Boots up to and including {@code last} (one of {@link Phase#INIT}, {@link Phase#CONSOLIDATION},
     * {@link Phase#ACTIVATION}, {@link Phase#READY}). Tools use it: {@code migrate} stops after consolidation,
     * where migrations run, without opening any listener.
     */
    public synchronized void boot(Phase last) {
        if (last.compareTo(Phase.INIT) < 0 || last.compareTo(Phase.READY) > 0) {
            throw new IllegalArgumentException("boot stops after init, consolidation, activation or ready, not " + last.label());
        }
        if (phase != Phase.NEW) {
            throw new IllegalStateException("this kernel has already been booted (phase " + phase.label() + ")");
        }
        long start = System.nanoTime();
        try {
            List<Registration> registrations = install();
            phase = Phase.CONSTRUCT;
            for (Registration r : registrations) {
                Service s = run(r.name(), Phase.CONSTRUCT, () -> Objects.requireNonNull(
                        r.factory().create(new ServiceContext(r.name(), r.module(), config, services, events)),
                        "the factory returned no service"));
                Services.Entry entry = new Services.Entry(r.name(), r.module(), s);
                services.add(entry);
                constructed.add(entry);
            }
            for (Phase p : List.of(Phase.INIT, Phase.CONSOLIDATION, Phase.ACTIVATION, Phase.READY)) {
                if (p.compareTo(last) <= 0) {
                    runPhase(p);
                }
            }
        } catch (RuntimeException e) {
            log.error("boot failed: {}", e.getMessage());
            shutdownQuietly();
            throw e;
        }
        log.info("kernel {}: {} modules, {} services in {} ms", phase.label(), moduleInfos.size(), constructed.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Drains every constructed service in registration order, then shuts them down in reverse. Idempotent. */
    public synchronized void shutdown() {
        if (phase == Phase.STOPPED || phase == Phase.SHUTTING_DOWN) {
            return;
        }
        shutdownQuietly();
    }

    @Override
    public void close() {
        shutdown();
    }

    public Phase phase() {
        return phase;
    }

    public Config config() {
        return config;
    }

    public Services services() {
        return services;
    }

    public EventBus events() {
        return events;
    }

    /** The installed modules, built-in ones first, with the names of their services. */
    public List<ModuleInfo> modules() {
        return List.copyOf(moduleInfos);
    }

    private List<Registration> install() {
        phase = Phase.INSTALL;
        List<Module> all = new ArrayList<>(builtIn);
        int builtInCount = all.size();
        if (loadExternal) {
            external = new ExternalModules(config.dataDir().resolve("mods"), Kernel.class.getClassLoader());
            all.addAll(external.modules());
        }
        List<Registration> registrations = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Module module = all.get(i);
            List<String> moduleServices = new ArrayList<>();
            ModuleInstaller installer = new ModuleInstaller() {
                @Override
                public <S extends Service> void register(String name, ServiceFactory<S> factory) {
                    if (name == null || name.isBlank()) {
                        throw new IllegalArgumentException("a service needs a name");
                    }
                    if (!names.add(name)) {
                        throw new IllegalArgumentException("a service named '" + name + "' is already registered");
                    }
                    registrations.add(new Registration(name, module.name(), Objects.requireNonNull(factory)));
                    moduleServices.add(name);
                }

                @Override
                public Config config() {
                    return config;
                }
            };
            try {
                module.install(installer);
            } catch (RuntimeException e) {
                throw new BootException("module '" + module.name() + "' failed to install: " + e.getMessage(), e);
            }
            moduleInfos.add(new ModuleInfo(module.name(), i >= builtInCount, List.copyOf(moduleServices)));
        }
        return registrations;
    }

    private void runPhase(Phase p) {
        phase = p;
        for (Services.Entry e : constructed) {
            run(e.name(), p, () -> {
                switch (p) {
                    case INIT -> e.service().init();
                    case CONSOLIDATION -> e.service().consolidate();
                    case ACTIVATION -> e.service().activate();
                    case READY -> e.service().ready();
                    default -> throw new IllegalStateException("not a service phase: " + p);
                }
                return null;
            });
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T run(String service, Phase p, Step<T> step) {
        try {
            return step.run();
        } catch (Exception | LinkageError | AssertionError e) {
            throw new BootException(service, p, e);
        }
    }

    private void shutdownQuietly() {
        phase = Phase.SHUTTING_DOWN;
        // Drain in registration order before any shutdown: the web server stops taking requests and finishes
        // those in flight while the services they call (registered later, shut down earlier) still work.
        for (Services.Entry e : constructed) {
            try {
                e.service().drain();
            } catch (Exception | LinkageError ex) {
                log.error("service '{}' failed to drain: {}", e.name(), ex.toString(), ex);
            }
        }
        for (Services.Entry e : constructed.reversed()) {
            try {
                e.service().shutdown();
            } catch (Exception | LinkageError ex) {
                log.error("service '{}' failed to shut down cleanly: {}", e.name(), ex.toString(), ex);
            }
        }
        if (external != null) {
            external.close();
        }
        phase = Phase.STOPPED;
    }

    /** Builds a {@link Kernel}. */
    public static final class Builder {
        private final Config config;
        private final List<Module> modules = new ArrayList<>();
        private boolean loadExternal = true;
        private Duration listenerTimeout = Duration.ofSeconds(30);

        private Builder(Config config) {
            this.config = Objects.requireNonNull(config);
        }

        /** Adds a built-in module; modules install in the order they are added. */
        public Builder module(Module module) {
            modules.add(Objects.requireNonNull(module));
            return this;
        }

        public Builder modules(List<? extends Module> more) {
            more.forEach(this::module);
            return this;
        }

        /** Whether to load the jars of {@code <data-dir>/mods/} (default true). */
        public Builder externalModules(boolean load) {
            this.loadExternal = load;
            return this;
        }

        /** How long the event bus waits for one listener (default 30 s). */
        public Builder listenerTimeout(Duration timeout) {
            this.listenerTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Kernel build() {
            return new Kernel(this);
        }
    }
}

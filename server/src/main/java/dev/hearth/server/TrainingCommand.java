package dev.hearth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import picocli.CommandLine.Command;

/**
 * A training run for the JDK's ahead-of-time cache (JEP 514/515): boots the default modules on a free port
 * with a throw-away data directory, and stops. Run under {@code -XX:AOTCacheOutput=FILE}, the JVM records the
 * classes this loads and links and writes them to FILE on exit; later runs with {@code -XX:AOTCache=FILE}
 * start from there. The launcher does this once per build.
 */
@Command(name = "aot-training", hidden = true, description = "Boots and stops once, for -XX:AOTCacheOutput.")
final class TrainingCommand implements Callable<Integer> {

    private final Launch launch;

    TrainingCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("hearth-aot-training");
        try {
            Config config = ConfigLoader.load(data, Optional.empty(), Map.of(),
                    List.of("http_port=0", "shutdown.drain_seconds=0"));
            try (Kernel kernel = Kernel.builder(config).modules(DefaultModules.create()).externalModules(false).build()) {
                kernel.boot();
                // A few requests, so that the request path's classes are in the cache too.
                String origin = ServingAddress.loopback(kernel);
                try (HttpClient http = HttpClient.newHttpClient()) {
                    for (String path : List.of("/healthcheck", "/version", "/no-such-route")) {
                        http.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                }
                launch.out().println("trained on " + origin);
            }
        } finally {
            deleteTree(data);
        }
        return 0;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

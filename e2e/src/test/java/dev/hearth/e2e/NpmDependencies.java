package dev.hearth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Node packages the tests use, installed with {@code npm ci} from the committed {@code package-lock.json}
 * (exact versions) when {@code node_modules} is missing or older than the lock file or {@code package.json}.
 */
final class NpmDependencies {

    private NpmDependencies() {}

    static void ensureInstalled(Path dir) throws IOException, InterruptedException {
        if (!stale(dir)) {
            return;
        }
        System.out.println("[e2e] node_modules is missing or stale: npm ci");
        ChildProcess.run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(),
                Duration.ofMinutes(5), "[npm] ").requireSuccess("npm ci in " + dir);
    }

    /** npm writes {@code node_modules/.package-lock.json} at the end of every install. */
    static boolean stale(Path dir) throws IOException {
        Path installed = dir.resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(installed)) {
            return true;
        }
        FileTime at = Files.getLastModifiedTime(installed);
        for (String input : List.of("package.json", "package-lock.json")) {
            if (Files.getLastModifiedTime(dir.resolve(input)).compareTo(at) > 0) {
                return true;
            }
        }
        return false;
    }
}

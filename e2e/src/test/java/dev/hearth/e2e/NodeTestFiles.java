package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs Node test files of {@code e2e/tests/} against one Hearth with Node's built-in runner, as JUnit nodes: a
 * container per file (named {@code <label>/<file>} when the run has a label, e.g. {@code s3/fs.test.mjs}), a test per
 * Node test (read from Node's JUnit report in {@code target/node-reports/}). The Hearth's origin reaches the files in
 * {@code HEARTH_URL}, with any other variables of the run.
 */
final class NodeTestFiles {

    private static final Duration PER_FILE = Duration.ofMinutes(2);

    private final Path e2e;
    private final String label;
    private final Map<String, String> env;

    /**
     * @param label empty for the plain run, else the prefix of the containers' and the reports' names
     * @param env the variables of every run, at least {@code HEARTH_URL}
     */
    NodeTestFiles(Path e2e, String label, Map<String, String> env) {
        this.e2e = e2e;
        this.label = label;
        this.env = Map.copyOf(env);
    }

    /** The files of {@code e2e/tests/} named {@code *.test.mjs}, in order. */
    static List<Path> all(Path e2e) throws IOException {
        try (Stream<Path> listing = Files.list(e2e.resolve("tests"))) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".test.mjs")).sorted().toList();
        }
    }

    /**
     * One container per file. The stream is consumed when JUnit runs the containers, so each file runs then, in
     * order, and a node after them runs after the last file.
     */
    Stream<DynamicNode> containers(List<Path> files) {
        return files.stream().map(file -> DynamicContainer.dynamicContainer(name(file),
                Stream.of(file).flatMap(this::run)));
    }

    private String name(Path file) {
        return label.isEmpty() ? file.getFileName().toString() : label + "/" + file.getFileName();
    }

    private Stream<DynamicTest> run(Path file) {
        try {
            Path report = Files.createDirectories(e2e.resolve("target/node-reports"))
                    .resolve(name(file).replace('/', '-') + ".xml");
            Files.deleteIfExists(report);
            Map<String, String> variables = new HashMap<>(env);
            variables.put("NO_COLOR", "1");
            ChildProcess run = ChildProcess.run(e2e, List.of("node", "--test", "--test-timeout=30000",
                            "--test-reporter=spec", "--test-reporter-destination=stdout",
                            "--test-reporter=junit", "--test-reporter-destination=" + report,
                            e2e.relativize(file).toString()),
                    variables, PER_FILE, label.isEmpty() ? "[node] " : "[node " + label + "] ");
            List<DynamicTest> tests = new ArrayList<>();
            for (NodeTestReport.Case c : NodeTestReport.read(report).cases()) {
                tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                    Assumptions.assumeFalse(c.skipped(), "skipped in Node");
                    c.failure().ifPresent(message -> fail(message));
                }));
            }
            // A file that crashed, timed out or ran nothing fails as a whole, with Node's output.
            boolean allPassed = tests.size() > 0 && run.exitCode() == 0;
            if (!allPassed && NodeTestReport.read(report).cases().stream().noneMatch(c -> c.failure().isPresent())) {
                tests.add(DynamicTest.dynamicTest("node --test " + file.getFileName() + " exits cleanly",
                        () -> fail("node --test " + file.getFileName() + " exited with " + run.exitCode()
                                + (tests.isEmpty() ? " and reported no test" : "") + ":\n" + run.output())));
            }
            return tests.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + file, e);
        }
    }
}

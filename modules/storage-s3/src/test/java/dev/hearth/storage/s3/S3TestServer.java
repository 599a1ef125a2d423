package dev.hearth.storage.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hearth.kernel.Config;

/**
 * The S3-compatible server of the tests: npm {@code s3rver} 3.7.1 (see {@code src/test/node/server.js}) on
 * 127.0.0.1 and a free port, with one bucket, started once per test JVM on first use and stopped when the JVM
 * ends (the server also exits by itself when its standard input, a pipe from this JVM, closes). Its npm packages
 * are installed with {@code npm ci} from the committed lock file when {@code node_modules} is missing or stale.
 *
 * <p>s3rver rather than S3Mock: it is up in under a second (S3Mock 5.2, a Spring Boot application, took 27 s
 * here) and checks presigned URLs' expiry. It needs the compat switch (it stores {@code aws-chunked} framing as
 * content), and lacks V4 signature checks, {@code AbortMultipartUpload} and {@code UploadPartCopy}, which
 * {@code server.js} adds.
 */
public final class S3TestServer {

    public static final String BUCKET = "hearth-test";
    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";

    /**
     * Where {@code server.js} and its npm packages are: this module's {@code src/test/node}, also for other modules
     * using this class from the test jar (the e2e module), which name it in the system property
     * {@code hearth.s3rver.dir}.
     */
    private static final Path NODE_DIR = Path.of(System.getProperty("hearth.s3rver.dir", "src/test/node"))
            .toAbsolutePath().normalize();
    private static S3TestServer shared;

    private final Process process;
    private final Path directory;
    private final int port;

    private S3TestServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized S3TestServer shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot start the S3 test server (s3rver): " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    private static S3TestServer start() throws IOException, InterruptedException {
        ensureInstalled();
        Path dir = Files.createTempDirectory("hearth-s3rver");
        // Node must not share this JVM's standard streams: it switches them to non-blocking mode, and surefire's
        // command channel on stdin then fails ("std/in stream corrupted"). Its stdin is a pipe (closing it stops the
        // server), its stderr goes to a log file.
        Process p = new ProcessBuilder("node", "server.js", dir.toString(), BUCKET).directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(dir.getFileName() + ".log").toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : Pattern.compile("\\{\"port\":(\\d+)}").matcher(line);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IOException("s3rver did not report its port (it printed " + line + ")");
        }
        return new S3TestServer(p, dir, Integer.parseInt(m.group(1)));
    }

    private static void ensureInstalled() throws IOException, InterruptedException {
        Path installed = NODE_DIR.resolve("node_modules/.package-lock.json");
        if (Files.isRegularFile(installed)) {
            FileTime at = Files.getLastModifiedTime(installed);
            if (Files.getLastModifiedTime(NODE_DIR.resolve("package.json")).compareTo(at) <= 0
                    && Files.getLastModifiedTime(NODE_DIR.resolve("package-lock.json")).compareTo(at) <= 0) {
                return;
            }
        }
        // Not inheritIO(): npm (node) would switch surefire's stdin to non-blocking mode (see start()).
        Path log = Files.createTempFile("hearth-s3rver-npm", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IOException("npm ci failed in " + NODE_DIR + ":\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    private void stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        try {
            // s3rver's log (its standard error) goes with the server unless it has something to say.
            Path log = directory.resolveSibling(directory.getFileName() + ".log");
            if (Files.isRegularFile(log) && Files.size(log) == 0) {
                Files.delete(log);
            }
        } catch (IOException e) {
            // left in the temporary directory
        }
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("[s3rver] could not remove " + directory + ": " + e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Where s3rver keeps the bucket's files, to check what is left behind. */
    public Path bucketDirectory() {
        return directory.resolve(BUCKET);
    }

    /** The {@code services.s3} settings for this server, under a prefix of their own. */
    public S3Settings settings(String prefix) {
        return new S3Settings(BUCKET, "us-east-1", endpoint(), ACCESS_KEY, SECRET_KEY, prefix, true, null);
    }

    /** A configuration with {@code services.s3} pointing at this server, under a fresh prefix. */
    public Config configure(Config config) {
        return configure(config, "run-" + UUID.randomUUID());
    }

    /** A configuration with {@code services.s3} pointing at this server, under {@code prefix}. */
    public Config configure(Config config, String prefix) {
        return config.with("services.s3", Map.of("bucket", BUCKET, "endpoint", endpoint(), "access_key_id",
                ACCESS_KEY, "secret_access_key", SECRET_KEY, "compat", true, "prefix", prefix));
    }

    /** How many objects s3rver holds under {@code prefix}. */
    public long objectsUnder(String prefix) throws IOException {
        Path dir = bucketDirectory().resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("._S3rver_object")).count();
        }
    }

    /** The object keys of the multipart uploads s3rver still keeps (neither completed nor aborted). */
    public List<String> pendingUploads() throws IOException {
        Path uploads = bucketDirectory().resolve("._S3rver_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (var s = Files.list(uploads)) {
            List<String> keys = new java.util.ArrayList<>();
            for (Path upload : s.toList()) {
                keys.add(upload.getFileName() + " " + Files.readString(upload.resolve("key")));
            }
            return keys;
        }
    }
}

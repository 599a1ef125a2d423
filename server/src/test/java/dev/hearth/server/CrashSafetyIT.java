package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar killed with SIGKILL (no shutdown hook runs) during and right after an upload, then started
 * again on the same data directory: a file is there complete or not at all, and no content is left that no entry
 * names.
 */
class CrashSafetyIT {

    private static final long BIG = 200L * 1024 * 1024;

    @TempDir
    Path data;

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        http.close();
    }

    @Test
    void aKillDuringAnUploadLeavesNoEntryAndNoContentBehind() throws Exception {
        String origin = start();
        String token = signup(origin, "crashy");
        Path storage = data.resolve("storage");

        // 200 MB generated on the fly; the server is killed once it has stored part of it.
        Upload upload = new Upload("/crashy/Documents", "big.bin", BIG, 7);
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(upload.request(origin, token),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> temporaryBytes(storage) > 20L * 1024 * 1024 || sent.isDone());
        assertThat(sent).as("the upload was still running when the server was killed").isNotDone();
        kill();
        assertThat(sent).failsWithin(Duration.ofSeconds(30));
        assertThat(temporaryBytes(storage)).as("the interrupted write's temporary file").isPositive();

        // Content of a write that was stored but never committed: an object that no row names, from before the boot.
        String orphan = UUID.randomUUID().toString();
        Files.writeString(storage.resolve(orphan), "orphaned content");
        Files.setLastModifiedTime(storage.resolve(orphan), FileTime.from(Instant.now().minusSeconds(60)));
        // A file of the operator's that is not a content object stays.
        Files.writeString(storage.resolve("README"), "not mine");

        origin = start();
        HttpResponse<String> stat = post(origin, "/stat", token, "{\"path\":\"/crashy/Documents/big.bin\"}");
        assertThat(stat.statusCode()).as("the interrupted upload has no entry: %s", stat.body()).isEqualTo(404);
        assertThat(leftovers(storage)).as("temporary files after the boot").isEmpty();
        assertThat(storage.resolve(orphan)).doesNotExist();
        assertThat(storage.resolve("README")).exists();
        assertThat(unreferencedObjects(storage)).isEmpty();
    }

    @Test
    void aCompletedUploadSurvivesAKillRightAfterItsAnswer() throws Exception {
        String origin = start();
        String token = signup(origin, "durable");
        Upload upload = new Upload("/durable/Documents", "kept.bin", 20L * 1024 * 1024, 11);
        HttpResponse<String> done = http.send(upload.request(origin, token), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        kill();

        origin = start();
        HttpResponse<InputStream> read = http.send(HttpRequest.newBuilder(
                        URI.create(origin + "/read?file=/durable/Documents/kept.bin"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(read.statusCode()).isEqualTo(200);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = read.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) >= 0; n += r) {
                sha.update(buf, 0, r);
            }
        }
        assertThat(n).isEqualTo(upload.size);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(upload.sha256());
        assertThat(unreferencedObjects(data.resolve("storage"))).isEmpty();
        assertThat(leftovers(data.resolve("storage"))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A multipart /write as puter.js sends it, its file content a seeded pseudo-random stream made while it is sent. */
    private static final class Upload {
        final String dir;
        final String name;
        final long size;
        final long seed;
        final String boundary = "crash" + UUID.randomUUID().toString().replace("-", "");

        Upload(String dir, String name, long size, long seed) {
            this.dir = dir;
            this.name = name;
            this.size = size;
            this.seed = seed;
        }

        byte[] head() {
            return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + dir + "\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n" + size + "\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[] tail() {
            return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        }

        InputStream content() {
            return new InputStream() {
                final SplittableRandom random = new SplittableRandom(seed);
                long left = size;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left == 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) random.nextInt(256);
                    }
                    left -= n;
                    return n;
                }
            };
        }

        String sha256() throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = content()) {
                byte[] buf = new byte[64 * 1024];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    sha.update(buf, 0, r);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }

        HttpRequest request(String origin, String token) {
            byte[] head = head();
            byte[] tail = tail();
            long length = head.length + size + tail.length;
            var publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                            new java.io.ByteArrayInputStream(head), content(),
                            new java.io.ByteArrayInputStream(tail))))), length);
            return HttpRequest.newBuilder(URI.create(origin + "/write"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(publisher).build();
        }
    }

    private static long temporaryBytes(Path storage) throws IOException {
        if (!Files.isDirectory(storage)) {
            return 0;
        }
        long total = 0;
        for (Path p : leftovers(storage)) {
            try {
                total += Files.size(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                // finished meanwhile
            }
        }
        return total;
    }

    private static List<Path> leftovers(Path storage) throws IOException {
        try (Stream<Path> files = Files.list(storage)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    /** Content objects (UUID-named files) in the storage directory that no row of fsentries names. */
    private Set<String> unreferencedObjects(Path storage) throws Exception {
        Set<String> keys = new HashSet<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hearth.sqlite"));
             var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT blob_key FROM fsentries WHERE blob_key IS NOT NULL")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        Set<String> objects = new HashSet<>();
        try (Stream<Path> files = Files.list(storage)) {
            files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("README"))
                    .forEach(objects::add);
        }
        objects.removeAll(keys);
        return objects;
    }

    private String signup(String origin, String username) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + "/signup"))
                .header("Content-Type", "application/json").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"email\":\"" + username
                        + "@example.com\",\"password\":\"crash-safety-1\",\"p102xyzname\":\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(r.body());
        return body.get("token").asString();
    }

    private HttpResponse<String> post(String origin, String path, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no drain, nothing flushed by the process. */
    private void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    /** Starts the jar on the data directory and port 0; returns the origin it serves. */
    private String start() throws IOException {
        output.clear();
        Path jar = Path.of(System.getProperty("hearth.jar", "target/hearth.jar"));
        assertThat(jar).as("the packaged jar (run through `mvnw verify`)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "serve", "--port", "0",
                "--data-dir", data.toString(), "--set", "shutdown.drain_seconds=0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        process = p;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    output.add(l);
                    System.out.println("[hearth] " + l);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        });
        String serving = await().atMost(Duration.ofSeconds(60))
                .until(() -> line("Hearth is serving at "), Optional::isPresent).orElseThrow();
        return serving.replaceAll(".*Hearth is serving at (\\S+).*", "$1");
    }

    private Optional<String> line(String prefix) {
        return output.stream().filter(l -> l.startsWith(prefix) || l.contains(" " + prefix)).findFirst();
    }
}

package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;

/** {@link Response} over a Jetty response: blocking writes, which is fine on a virtual thread. */
final class JettyResponse implements Response {

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final org.eclipse.jetty.server.Request request;
    private final org.eclipse.jetty.server.Response jetty;
    private OutputStream out;
    private boolean written;

    JettyResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response jetty) {
        this.request = request;
        this.jetty = jetty;
    }

    @Override
    public Response status(int status) {
        checkHeadersOpen();
        jetty.setStatus(status);
        return this;
    }

    @Override
    public int status() {
        int status = jetty.getStatus();
        return status == 0 ? 200 : status; // Jetty leaves it 0 until commit when nobody sets it
    }

    @Override
    public Response header(String name, String value) {
        checkHeadersOpen();
        jetty.getHeaders().put(name, value);
        return this;
    }

    @Override
    public Response addHeader(String name, String value) {
        checkHeadersOpen();
        jetty.getHeaders().add(name, value);
        return this;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(jetty.getHeaders().get(name));
    }

    @Override
    public boolean committed() {
        return jetty.isCommitted();
    }

    /** Whether a body has been (or is being) written. */
    boolean written() {
        return written;
    }

    @Override
    public void json(Object value) {
        bytes(JSON, Json.mapper().writeValueAsBytes(value));
    }

    @Override
    public void text(String text) {
        bytes(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void html(String html) {
        bytes(HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void bytes(String contentType, byte[] body) {
        startBody(contentType);
        jetty.getHeaders().put("Content-Length", Long.toString(body.length));
        writeLast(ByteBuffer.wrap(body));
    }

    @Override
    public void stream(String contentType, long length, InputStream in) throws IOException {
        try (InputStream source = in) {
            startBody(contentType);
            if (length >= 0) {
                jetty.getHeaders().put("Content-Length", Long.toString(length));
            }
            try (OutputStream sink = Content.Sink.asOutputStream(jetty)) {
                InputStream bounded = length >= 0 ? LimitedInputStream.truncating(source, length) : source;
                bounded.transferTo(sink);
            }
        }
    }

    @Override
    public OutputStream outputStream(String contentType) {
        startBody(contentType);
        out = Content.Sink.asOutputStream(jetty);
        return out;
    }

    @Override
    public void redirect(int status, String location) {
        status(status >= 300 && status < 400 ? status : 302);
        header("Location", location);
        text("Redirecting to " + location);
    }

    @Override
    public void error(ApiError error) {
        checkHeadersOpen();
        jetty.setStatus(error.status());
        if (error.status() == 402 || error.status() == 413) {
            jetty.getHeaders().put("X-Needs-Upgrade", "true"); // what puter.js's upgrade prompt looks for
        }
        json(error.body());
    }

    @Override
    public void serve(ByteSource source) throws IOException {
        checkHeadersOpen();
        long length = source.length();
        Optional<String> etag = source.etag();
        Optional<Instant> modified = source.lastModified().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        // Conditions and ranges apply to a plain success; a handler serving, say, a 404 page sends it whole.
        boolean plain = status() == 200;
        boolean getOrHead = plain && (method.equals("GET") || method.equals("HEAD"));

        jetty.getHeaders().put("Accept-Ranges", "bytes");
        etag.ifPresent(e -> jetty.getHeaders().put("ETag", e));
        modified.ifPresent(m -> jetty.getHeaders().put("Last-Modified", HTTP_DATE.format(m)));

        if (getOrHead && notModified(etag, modified)) {
            jetty.setStatus(304);
            jetty.getHeaders().remove("Content-Length");
            startBody(source.contentType()); // Node clients need a Content-Type even on a 304
            writeLast(ByteBuffer.allocate(0));
            return;
        }

        RangeRequest range = new RangeRequest.Whole();
        String rangeHeader = request.getHeaders().get("Range");
        if (plain && method.equals("GET") && rangeHeader != null && ifRangeAllows(etag, modified)) {
            range = RangeRequest.parse(rangeHeader, length);
        }
        switch (range) {
            case RangeRequest.Unsatisfiable u -> {
                jetty.setStatus(416);
                jetty.getHeaders().put("Content-Range", "bytes */" + length);
                bytes(source.contentType(), new byte[0]);
            }
            case RangeRequest.Part p -> {
                jetty.setStatus(206);
                jetty.getHeaders().put("Content-Range", "bytes " + p.first() + "-" + p.last() + "/" + length);
                send(source, p.first(), p.length());
            }
            case RangeRequest.Whole w -> send(source, 0, length);
        }
    }

    private void send(ByteSource source, long offset, long count) throws IOException {
        startBody(source.contentType());
        jetty.getHeaders().put("Content-Length", Long.toString(count));
        if (request.getMethod().equalsIgnoreCase("HEAD") || count == 0) {
            writeLast(ByteBuffer.allocate(0));
            return;
        }
        if (source instanceof FileSource file) {
            // Jetty reads the file region chunk by chunk straight into the connection.
            try (Blocker.Callback callback = Blocker.callback()) {
                Content.copy(Content.Source.from(file.file(), offset, count), jetty, callback);
                callback.block();
            }
            return;
        }
        try (InputStream in = source.open(offset, count); OutputStream sink = Content.Sink.asOutputStream(jetty)) {
            long copied = LimitedInputStream.truncating(in, count).transferTo(sink);
            if (copied != count) {
                throw new IOException("the source gave " + copied + " bytes instead of " + count);
            }
        }
    }

    private boolean notModified(Optional<String> etag, Optional<Instant> modified) {
        String inm = request.getHeaders().get("If-None-Match");
        if (inm != null) {
            if (etag.isEmpty()) {
                return false;
            }
            String mine = weak(etag.get());
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || weak(c).equals(mine)) {
                    return true;
                }
            }
            return false; // If-Modified-Since is ignored when If-None-Match is present (RFC 9110 §13.1.3)
        }
        String ims = request.getHeaders().get("If-Modified-Since");
        if (ims != null && modified.isPresent()) {
            return parseDate(ims).map(since -> !modified.get().isAfter(since)).orElse(false);
        }
        return false;
    }

    private boolean ifRangeAllows(Optional<String> etag, Optional<Instant> modified) {
        String ifRange = request.getHeaders().get("If-Range");
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            // Strong comparison: a weak tag never validates a range.
            return !v.startsWith("W/") && etag.isPresent() && !etag.get().startsWith("W/") && etag.get().equals(v);
        }
        return modified.isPresent() && parseDate(v).map(d -> d.equals(modified.get())).orElse(false);
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static Optional<Instant> parseDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /** Ends the response if the handler did not: closes its stream, or sends an empty body. */
    void finish() {
        try {
            if (out != null) {
                out.close();
                return;
            }
            if (!jetty.hasLastWrite()) {
                if (!jetty.isCommitted()) {
                    ensureContentType(TEXT);
                    int status = status();
                    boolean bodiless = status == 304 || status == 204 || status < 200;
                    if (!bodiless && jetty.getHeaders().get("Content-Length") == null) {
                        jetty.getHeaders().put("Content-Length", "0");
                    }
                }
                writeLast(ByteBuffer.allocate(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clears status, headers and body for an error page; false if it is too late. */
    boolean resetForError() {
        if (jetty.isCommitted()) {
            return false;
        }
        jetty.reset();
        out = null;
        written = false;
        return true;
    }

    void ensureContentType(String fallback) {
        if (jetty.getHeaders().get("Content-Type") == null) {
            jetty.getHeaders().put("Content-Type", fallback);
        }
    }

    private void startBody(String contentType) {
        if (written) {
            throw new IllegalStateException("the response body has already been written");
        }
        checkHeadersOpen();
        written = true;
        jetty.getHeaders().put("Content-Type", contentType == null || contentType.isBlank() ? TEXT : contentType);
    }

    private void writeLast(ByteBuffer buffer) {
        try {
            Content.Sink.write(jetty, true, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the response", e);
        }
    }

    private void checkHeadersOpen() {
        if (jetty.isCommitted()) {
            throw new IllegalStateException("the response has already been committed");
        }
    }
}

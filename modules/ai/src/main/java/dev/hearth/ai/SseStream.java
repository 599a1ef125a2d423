package dev.hearth.ai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small reader of server-sent events (the streaming format of every chat provider): {@code event:} and
 * {@code data:} fields, multi-line data, comments, events dispatched on a blank line. Lines may arrive split
 * anywhere across network reads.
 *
 * <p>A virtual thread reads the body into a small queue and {@link #next()} waits for each event at most the idle
 * timeout: a provider that stops sending mid-stream fails the stream with {@link ProviderException.Kind#TIMEOUT}
 * instead of hanging the client's connection. The queue is bounded, so a slow client slows the reading down (the
 * stream stays a stream).
 */
final class SseStream implements AutoCloseable {

    /** One event; {@code event} is {@code message} when the server named none. */
    record Event(String event, String data) {}

    private sealed interface Item {}

    private record Got(Event event) implements Item {}

    private record End() implements Item {}

    private record Broken(IOException error) implements Item {}

    private final InputStream body;
    private final String provider;
    private final Duration idleTimeout;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile boolean closed;
    private boolean ended;

    SseStream(InputStream body, String provider, Duration idleTimeout) {
        this.body = body;
        this.provider = provider;
        this.idleTimeout = idleTimeout;
        this.reader = Thread.ofVirtual().name("sse-" + provider).start(this::read);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = null;
            String line;
            while (!closed && (line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        queue.put(new Got(new Event(event == null ? "message" : event, data.toString())));
                    }
                    event = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
            if (data != null && !closed) {
                queue.put(new Got(new Event(event == null ? "message" : event, data.toString())));
            }
            queue.put(new End());
        } catch (IOException e) {
            if (!closed) {
                queue.offer(new Broken(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next event, or empty at the end of the body. */
    Optional<Event> next() throws ProviderException {
        if (ended) {
            return Optional.empty();
        }
        Item item;
        try {
            item = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, provider, "the stream was interrupted");
        }
        return switch (item) {
            case null -> {
                close();
                throw new ProviderException(ProviderException.Kind.TIMEOUT, provider, "The AI provider `" + provider
                        + "` sent nothing for " + idleTimeout.toSeconds() + " s; the stream was abandoned.");
            }
            case Got g -> Optional.of(g.event());
            case End e -> {
                ended = true;
                yield Optional.empty();
            }
            case Broken b -> {
                ended = true;
                throw new ProviderException(ProviderException.Kind.UNAVAILABLE, provider, "The stream of the AI "
                        + "provider `" + provider + "` broke off: " + b.error().getClass().getSimpleName());
            }
        };
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        try {
            body.close();
        } catch (IOException e) {
            // the connection is being abandoned anyway
        }
    }
}

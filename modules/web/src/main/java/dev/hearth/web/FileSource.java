package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/** A file on disk; {@link JettyResponse} recognises it and streams it with Jetty's file source. */
record FileSource(Path file, String contentType, long length, Instant modified) implements ByteSource {

    static FileSource of(Path file, String contentType) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        return new FileSource(file, contentType, attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    @Override
    public Optional<String> etag() {
        // Size and modification time, like most static servers: cheap, and changes whenever the content does in practice.
        return Optional.of("\"" + Long.toHexString(length) + "-" + Long.toHexString(modified.toEpochMilli()) + "\"");
    }

    @Override
    public Optional<Instant> lastModified() {
        return Optional.of(modified);
    }

    @Override
    public InputStream open(long offset, long count) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ);
        channel.position(offset);
        return LimitedInputStream.truncating(Channels.newInputStream(channel), count);
    }
}

package dev.hearth.web;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Content held in memory. */
record BytesSource(byte[] bytes, String contentType) implements ByteSource {

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public Optional<String> etag() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Optional.of("\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InputStream open(long offset, long count) {
        return new ByteArrayInputStream(bytes, (int) offset, (int) Math.min(count, bytes.length - offset));
    }
}

package dev.hearth.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link ParamType#FILE} argument. Its content is read lazily: a multipart upload streams from the request body
 * (once, in the order of the file parts), a {@code data:} URL is decoded, a reference (a path or uid) is opened by a
 * {@link spi.DriverFileResolver} with the caller's permissions.
 */
public interface DriverFile {

    /** The media type the client declared, if any. */
    Optional<String> contentType();

    /** The size the client declared, if any. */
    OptionalLong size();

    /** The content. A multipart upload can be opened once. */
    InputStream open() throws IOException;
}

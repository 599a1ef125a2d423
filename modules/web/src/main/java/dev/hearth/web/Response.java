package dev.hearth.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

import dev.hearth.kernel.ApiError;

/**
 * The response to a {@link Request}. A handler sets the status and headers, then writes the body once with
 * one of the body methods. A handler that writes nothing sends an empty body with the status set (200 by
 * default). Every response gets a {@code Content-Type}, whatever path produced it: Node clients of puter.js
 * hang on a response without one.
 */
public interface Response {

    Response status(int status);

    int status();

    /** Sets a header, replacing earlier values. */
    Response header(String name, String value);

    /** Adds a header value (for example a second {@code Set-Cookie}). */
    Response addHeader(String name, String value);

    Optional<String> header(String name);

    /** Whether the status and headers have been sent; after that they cannot change. */
    boolean committed();

    /** Writes {@code value} as JSON ({@code application/json; charset=utf-8}) with Hearth's one mapper. */
    void json(Object value);

    /** Writes {@code text} as {@code text/plain; charset=utf-8}. */
    void text(String text);

    /** Writes {@code html} as {@code text/html; charset=utf-8}. */
    void html(String html);

    /** Writes {@code body} with {@code contentType}. */
    void bytes(String contentType, byte[] body);

    /**
     * Streams {@code in} to the client and closes it. {@code length} is the exact number of bytes, or a negative
     * number when unknown (then the body is chunked).
     */
    void stream(String contentType, long length, InputStream in) throws java.io.IOException;

    /**
     * A stream to write the body to; closing it ends the response (and the web module closes it when the handler
     * returns, if the handler did not).
     */
    OutputStream outputStream(String contentType);

    /**
     * Sends {@code source} as HTTP does for a static resource: {@code Accept-Ranges}, {@code ETag},
     * {@code Last-Modified}, {@code If-None-Match}/{@code If-Modified-Since} ({@code 304}), {@code Range} and
     * {@code If-Range} ({@code 206}; {@code 416} with {@code Content-Range: bytes *}{@code /<length>} when
     * unsatisfiable). A request for several ranges gets the whole content with {@code 200}, which RFC 9110
     * allows. Headers set before the call (say {@code Content-Disposition}) are kept. Only the bytes sent are
     * read, in bounded memory.
     */
    void serve(ByteSource source) throws java.io.IOException;

    /** Answers with a redirect ({@code 302} unless {@code status} says otherwise) to {@code location}. */
    void redirect(int status, String location);

    /** Writes {@code error} as Puter's JSON error body with its status. */
    void error(ApiError error);
}

package dev.hearth.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code limit} bytes of a stream. Past the limit it either stops (end of stream), or, when the
 * stream must not be longer than the limit, calls {@code overflow}, which throws.
 */
final class LimitedInputStream extends FilterInputStream {

    /** What to do when the underlying stream has more than the limit. */
    interface Overflow {
        void exceeded() throws IOException;
    }

    private final Overflow overflow;
    private final boolean truncate;
    private long remaining;

    private LimitedInputStream(InputStream in, long limit, Overflow overflow, boolean truncate) {
        super(in);
        this.remaining = limit;
        this.overflow = overflow;
        this.truncate = truncate;
    }

    /** The first {@code limit} bytes of {@code in}; whatever follows is left unread. */
    static LimitedInputStream truncating(InputStream in, long limit) {
        return new LimitedInputStream(in, limit, () -> {}, true);
    }

    /** {@code in}, which must not be longer than {@code limit}: reading past it calls {@code overflow}, which throws. */
    static LimitedInputStream failingBeyond(InputStream in, long limit, Overflow overflow) {
        return new LimitedInputStream(in, limit, overflow, false);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            if (truncate) {
                return -1;
            }
            // One byte more tells a body that is exactly at the limit from one that is over it.
            int probe = in.read();
            if (probe < 0) {
                return -1;
            }
            overflow.exceeded();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, Math.max(remaining, 0)));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), Math.max(remaining, 0));
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

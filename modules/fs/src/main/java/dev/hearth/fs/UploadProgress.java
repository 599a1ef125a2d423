package dev.hearth.fs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upload stream that reports how far it has been read: at most once per interval while bytes arrive, and once
 * more at its end with whatever was not reported yet. Reports happen on the reading thread, between reads, so a
 * slow listener slows the upload rather than piling up reports.
 */
final class UploadProgress extends FilterInputStream {

    interface Listener {
        void progress(long loaded, long diff, boolean done);
    }

    private final long intervalNanos;
    private final Listener listener;
    private long loaded;
    private long reported;
    private long lastReport;
    private boolean finished;

    UploadProgress(InputStream in, long intervalNanos, Listener listener) {
        super(in);
        this.intervalNanos = intervalNanos;
        this.listener = listener;
        this.lastReport = System.nanoTime();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        counted(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        if (finished) {
            return;
        }
        if (n < 0) {
            finished = true;
            listener.progress(loaded, loaded - reported, true);
            reported = loaded;
            return;
        }
        loaded += n;
        long now = System.nanoTime();
        if (loaded > reported && now - lastReport >= intervalNanos) {
            listener.progress(loaded, loaded - reported, false);
            reported = loaded;
            lastReport = now;
        }
    }
}

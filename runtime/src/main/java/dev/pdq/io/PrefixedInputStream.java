package dev.pdq.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes already read (for format detection), then the rest of the stream. Unlike PushbackInputStream, a read that
 * returns prefix bytes does not go on to block on the underlying stream.
 */
final class PrefixedInputStream extends InputStream {

    private final byte[] prefix;
    private int next;
    private final InputStream in;

    PrefixedInputStream(byte[] prefix, int len, InputStream in) {
        this.prefix = java.util.Arrays.copyOf(prefix, len);
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        return next < prefix.length ? prefix[next++] & 0xff : in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (next < prefix.length) {
            int n = Math.min(len, prefix.length - next);
            System.arraycopy(prefix, next, b, off, n);
            next += n;
            int more = Math.min(len - n, in.available()); // what has arrived behind the prefix, without blocking
            if (more > 0) {
                int got = in.read(b, off + n, more);
                n += Math.max(got, 0);
            }
            return n;
        }
        return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, (long) (prefix.length - next) + in.available());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

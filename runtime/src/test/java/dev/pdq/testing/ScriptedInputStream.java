package dev.pdq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An input stream that behaves like a pipe fed in pieces: each read returns at most the rest of the current
 * piece, never more. After the last piece it ends, fails with an IOException, or "would block": a read then throws
 * {@link WouldBlock}, so a test proves that a reader delivered what it had without waiting for more.
 */
public final class ScriptedInputStream extends InputStream {

    public enum After { END, BLOCK, FAIL }

    /** Thrown where a real pipe would block forever. */
    public static final class WouldBlock extends RuntimeException {
        WouldBlock() {
            super("read would block: the reader asked for more input before delivering what it had");
        }
    }

    private final Deque<byte[]> pieces = new ArrayDeque<>();
    private final After after;
    private byte[] current = new byte[0];
    private int pos;
    public final IOException failure = new IOException("the pipe broke");

    public ScriptedInputStream(After after, byte[]... pieces) {
        this.after = after;
        for (byte[] p : pieces) {
            this.pieces.add(p);
        }
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
        while (pos == current.length) {
            if (pieces.isEmpty()) {
                switch (after) {
                    case END:
                        return -1;
                    case FAIL:
                        throw failure;
                    default:
                        throw new WouldBlock();
                }
            }
            current = pieces.poll();
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        int n = current.length - pos;
        for (byte[] p : pieces) {
            n += p.length;
        }
        return n;
    }
}

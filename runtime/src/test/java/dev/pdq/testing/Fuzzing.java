package dev.pdq.testing;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleReader;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared pieces of the fuzz targets (docs/HARDENING.md): the per-input hang guard, the input shapes, and the
 * allocation check that catches a header field driving an allocation.
 */
public final class Fuzzing {

    /**
     * Seconds one input may take (JUnit's timeout in regression mode, libFuzzer's -timeout when fuzzing): every
     * target handles its largest input in milliseconds, so reaching this is a hang.
     */
    public static final int TIMEOUT_SECONDS = 10;

    /**
     * Allocation a target may add to its parser's own, fixed and documented buffers: class initialization,
     * exception stack traces and what Jazzer's instrumentation allocates while fuzzing (measured up to about
     * 100 KiB). A header field that drives an allocation (65535 channels of buffers, a 4 GB chunk, a 16 MiB K)
     * exceeds it by far.
     */
    public static final long ALLOCATION_SLACK = 1 << 20;

    private Fuzzing() {
    }

    /** What a reader made of fuzz input: the reader (null if it refused the header), values read, the fault or null. */
    public record Decoded<R extends SampleReader>(R reader, int count, AudioFormatException fault) {
    }

    /** Opens a reader on a stream (it may refuse the header). */
    public interface Opener<R extends SampleReader> {
        R open(InputStream in) throws IOException;
    }

    /**
     * Reads input[1..] the way a pipe delivers it: trickled in pieces of up to 1 + 16 * shape bytes and read into
     * {@code got} in reads of channels * (1 + shape % readShapes) values, shape = input[0], until the end or the
     * first fault; fails if a read splits a sample frame.
     */
    public static <R extends SampleReader> Decoded<R> decode(byte[] input, int readShapes, float[] got,
                                                             Opener<R> opener) throws IOException {
        int shape = input[0] & 0xff;
        R reader = null;
        int count = 0;
        try {
            reader = opener.open(trickle(input, 1, 1 + 16 * shape));
            int len = reader.channels() * (1 + shape % readShapes);
            int n;
            while ((n = reader.read(got, count, Math.min(len, got.length - count))) > 0) {
                assertEquals(0, n % reader.channels(), "a read split a sample frame");
                count += n;
            }
        } catch (AudioFormatException e) {
            return new Decoded<>(reader, count, e);
        }
        return new Decoded<>(reader, count, null);
    }

    /**
     * The input as a pipe delivers it: every read returns at most {@code piece} bytes and available() tells only
     * what is left of the current piece, so the readers' buffer and frame boundaries are fuzzed too.
     */
    public static InputStream trickle(byte[] data, int off, int piece) {
        return new Trickle(data, off, piece);
    }

    /** Not a ByteArrayInputStream: its readNBytes assumes one read returns everything. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final int piece;
        private int pos;
        private int leftInPiece;

        Trickle(byte[] data, int off, int piece) {
            this.data = data;
            this.pos = off;
            this.piece = piece;
            this.leftInPiece = piece;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos == data.length) {
                return -1;
            }
            if (leftInPiece == 0) {
                leftInPiece = piece;
            }
            int n = Math.min(Math.min(len, leftInPiece), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            leftInPiece -= n;
            return n;
        }

        @Override
        public int available() {
            return Math.min(data.length - pos, leftInPiece == 0 ? piece : leftInPiece);
        }
    }

    /** Measures what the current thread allocates while a target runs (HotSpot; elsewhere nothing is checked). */
    public static final class AllocationGuard {
        private final long start = Allocation.bytes();

        /**
         * Asserts at most {@code bound} bytes were allocated since construction. Targets use a small fixed part plus
         * a multiple of the input's length: a header field that drives an allocation (65535 channels, a 4 GB
         * chunk size, a huge matrix) exceeds it by orders of magnitude.
         */
        public void assertAtMost(long bound, String what) {
            long used = Allocation.bytes() - start;
            assertTrue(used <= bound, () -> what + " allocated " + used + " bytes, more than the bound " + bound);
        }
    }
}

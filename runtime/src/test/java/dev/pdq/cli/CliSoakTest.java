package dev.pdq.cli;

import dev.pdq.blas.BlasBackends;
import dev.pdq.demo.SpeechSynth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak tests (tests, not benchmarks: they assert on counts, never on times): 10 minutes of generated 16 kHz audio
 * (9.6 million samples, 30000 frames) streamed through pdq dequantize in process, from a generating input to a
 * counting output, at B = 32 and, to keep each run to a few seconds, only L = 5 iterations per frame.
 *
 * <p>Checked: the exact length; every output sample within r of its input; and that memory does not grow. The
 * criterion for the heap is what a leak would change: the live heap after a full GC at the end of minute 1 and at
 * the end of minute 10 (measured: the same to the byte; a leak of 10 bytes a frame over the 27000 frames between
 * would add 270 KB), and for off-heap memory the count and size of the direct buffers (the solver's), which must
 * not increase. Allocation as such is not zero with L > 0: the BLAS backends allocate a few hundred bytes a
 * call (the Java backend's work items for its helper threads, JNA's Pointer objects), measured at about 250 KB
 * (java) and 72 KB (native) a minute of audio here, all of it garbage. The streaming path itself (reading,
 * framing, the pipe, writing) allocates nothing per frame: that is checked at L = 0, where no BLAS call is made.
 */
class CliSoakTest {
    static final int RATE = 16000;
    static final int MINUTES = 10;
    static final long SAMPLES = (long) MINUTES * 60 * RATE;
    static final int BITS = 4;
    /** A 4-bit grid: x +- r are multiples of 1/32768, so s16 output stays within r exactly (CliConsistencyTest). */
    static final int R_IN_LSB = 32768 >> BITS;
    /** Live heap may differ by a few KB between two full GCs (other threads of the test JVM): far below a leak. */
    static final long HEAP_GROWTH_BOUND = 256 * 1024;
    /** What the streaming path may allocate over minutes 1 to 10 (27000 frames): the measurement's own few hundred bytes. */
    static final long STREAMING_ALLOCATION_BOUND = 16 * 1024;

    /**
     * s16le bytes of a 7 s speech-like clip (one sample longer than 350 frames, so frames drift along it) on the
     * 4-bit grid, repeated; at the end of minute 1 and of minute {@link #MINUTES} (the reads of pdq's reader
     * thread reach them) it takes the measurements. Allocates nothing while streaming.
     */
    static final class Source extends InputStream {
        final short[] period;
        final long totalBytes;
        long pos;
        int reads;
        final long[] allocated = new long[2];
        final long[] heap = new long[2];
        final long[] directBytes = new long[2];
        final long[] directCount = new long[2];
        int marks;
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();

        /** The thread that runs the command (it solves); reads come from pdq's reader thread. */
        final long streamingThread = Thread.currentThread().getId();

        Source(short[] period, long samples) {
            this.period = period;
            this.totalBytes = 2 * samples;
        }

        private void measure() {
            long at = marks == 0 ? 60L * RATE * 2 : totalBytes;
            if (marks < 2 && pos >= at) {
                allocated[marks] = threads.getCurrentThreadAllocatedBytes()
                        + threads.getThreadAllocatedBytes(streamingThread);
                System.gc();
                heap[marks] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                directBytes[marks] = direct.getMemoryUsed();
                directCount[marks] = direct.getCount();
                marks++;
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            measure();
            if (pos >= totalBytes) {
                return -1;
            }
            int n = (int) Math.min(len & ~1, totalBytes - pos); // whole samples, for simplicity
            for (int i = 0; i < n; i += 2) {
                short s = period[(int) (((pos + i) >> 1) % period.length)];
                b[off + i] = (byte) s;
                b[off + i + 1] = (byte) (s >> 8);
            }
            pos += n;
            reads++;
            return n;
        }

        /** Like a live pipe, the input goes idle now and then (every 7th read): partial batches are solved too. */
        @Override
        public int available() {
            return reads % 7 == 0 ? 0 : (int) Math.min(totalBytes - pos, 1 << 20);
        }
    }

    /** Counts the output and checks every sample against its input, allocating nothing. */
    static final class Sink extends OutputStream {
        final short[] period;
        long bytes;
        long outsideR;
        private int low = -1; // the low byte of a sample split between two writes

        Sink(short[] period) {
            this.period = period;
        }

        @Override
        public void write(int b) {
            if (low < 0) {
                low = b & 0xff;
            } else {
                short y = (short) (low | (b & 0xff) << 8);
                short x = period[(int) ((bytes >> 1) % period.length)];
                outsideR += Math.abs(y - x) > R_IN_LSB ? 1 : 0;
                low = -1;
            }
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }

    static short[] period() {
        float[] clip = Arrays.copyOf(SpeechSynth.generate(7.0, RATE, 9), 350 * 320 + 1);
        float[] x = GenerateCliGoldenVectors.quantized(clip, BITS);
        short[] s = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = (short) Math.rint(x[i] * 32768.0);
        }
        return s;
    }

    static Source stream(String backend, int iterations) {
        short[] period = period();
        Source in = new Source(period, SAMPLES);
        Sink out = new Sink(period);
        Cli.Result r = Cli.inProcess(new DequantizeCommand(in, out), "--model", "dct", "--iterations",
                String.valueOf(iterations), "--batch", "32", "--shifts", "1", "--backend", backend,
                "--input-format", "s16le");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(2 * SAMPLES, out.bytes, "bytes out");
        assertEquals(0, out.outsideR, "samples further than r from their input");
        assertEquals(2, in.marks, "measurements taken");
        return in;
    }

    @ParameterizedTest(name = "{0}, L = 5")
    @ValueSource(strings = {"java", "native"})
    void tenMinutesAtFiveIterationsKeepTheirLengthAndDoNotGrowMemory(String backend) {
        if (backend.equals("native")) {
            BlasBackends.nativeBlas(); // skipped where OpenBLAS is absent, failed under PDQ_REQUIRE_NATIVE=1
        }
        Source in = stream(backend, 5);
        long growth = in.heap[1] - in.heap[0];
        assertTrue(growth <= HEAP_GROWTH_BOUND, "live heap grew by " + growth + " bytes from minute 1 to 10");
        assertNoMoreDirectMemory(in);
    }

    /**
     * No more direct buffers at the end than at minute 1. Not "the same": buffers of earlier runs in this JVM that
     * the GC at minute 1 found unreachable are released a little later, by their cleaner thread.
     */
    static void assertNoMoreDirectMemory(Source in) {
        assertTrue(in.directCount[1] <= in.directCount[0], "direct buffers: " + in.directCount[0] + " at minute 1, "
                + in.directCount[1] + " at minute 10");
        assertTrue(in.directBytes[1] <= in.directBytes[0], "direct buffer bytes: " + in.directBytes[0]
                + " at minute 1, " + in.directBytes[1] + " at minute 10");
    }

    @Test
    void tenMinutesThroughTheStreamingPathAllocateNothingPerFrame() {
        Source in = stream("java", 0);
        long bytes = in.allocated[1] - in.allocated[0];
        assertTrue(bytes <= STREAMING_ALLOCATION_BOUND, bytes + " bytes allocated while streaming 27000 frames");
        assertNoMoreDirectMemory(in);
    }
}

package dev.pdq.stream;

import dev.pdq.audio.PcmReader;
import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.SampleWriter;
import dev.pdq.quant.Quantizer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feed loop: full batches from input that is only slow, partial batches when it goes idle, faults. */
class StreamPumpTest {
    private static final int N = 16;
    private static final int BATCH = 8;
    private static final long IDLE = TimeUnit.MILLISECONDS.toNanos(300);

    static byte[] s16le(float[] x) {
        byte[] b = new byte[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            int s = (int) Math.rint(x[i] * 32768.0);
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    /** Counts the writer's flushes: the stream flushes after every solver call. */
    static final class Counting extends ByteArrayOutputStream {
        volatile int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }

    static StreamDequantizer stream(SampleWriter sink) {
        return new StreamDequantizer(StreamDequantizerTest.solver(BATCH), 1, 1, BATCH, 5, new Quantizer(4), sink);
    }

    /** Delivers its bytes a few at a time with a short pause before each read: slow, never idle for long. */
    static final class Trickle extends InputStream {
        private final byte[] bytes;
        private int pos;

        Trickle(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == bytes.length) {
                return -1;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            int n = Math.min(Math.min(len, 40), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void inputThatIsOnlySlowFillsWholeBatches() throws Exception {
        float[] x = StreamDequantizerTest.quantizedSignal(4 * BATCH * N, 1, 1);
        Counting out = new Counting();
        SampleWriter w = PcmWriter.raw(out, SampleEncoding.S16LE, 1);
        StreamDequantizer sd = stream(w);
        new StreamPump(PcmReader.raw(new Trickle(s16le(x)), SampleEncoding.S16LE, 1, 16000), sd, w, IDLE).run();
        assertEquals(2 * x.length, out.size());
        assertEquals(4 * BATCH, sd.framesSolved());
        // four full batches, then the stream's and the writer's flushes at the end: no partial batch
        assertTrue(out.flushes <= 6, out.flushes + " flushes");
    }

    /** Delivers some bytes, then blocks until released, then ends: a live pipe that goes quiet. */
    static final class Pause extends InputStream {
        private final byte[] first;
        private final CountDownLatch release = new CountDownLatch(1);
        private int pos;

        Pause(byte[] first) {
            this.first = first;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos < first.length) {
                int n = Math.min(len, first.length - pos);
                System.arraycopy(first, pos, b, off, n);
                pos += n;
                return n;
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return -1;
        }
    }

    @Test
    void inputThatGoesIdleGetsItsPartialBatch() throws Exception {
        float[] x = StreamDequantizerTest.quantizedSignal(3 * N, 1, 2);
        Counting out = new Counting();
        SampleWriter w = PcmWriter.raw(out, SampleEncoding.S16LE, 1);
        StreamDequantizer sd = stream(w);
        Pause in = new Pause(s16le(x));
        Thread t = new Thread(() -> {
            try {
                new StreamPump(PcmReader.raw(in, SampleEncoding.S16LE, 1, 16000), sd, w, IDLE).run();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < 2 * 3 * N && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2 * 3 * N, out.size(), "the three frames came out while the input was still open");
        in.release.countDown();
        t.join(30_000);
        assertEquals(2 * x.length, out.size());
    }

    @Test
    void aFaultComesAfterEverySampleBeforeIt() {
        float[] x = StreamDequantizerTest.quantizedSignal(2 * N + 5, 1, 3);
        byte[] bytes = s16le(x);
        byte[] odd = java.util.Arrays.copyOf(bytes, bytes.length + 1); // an odd byte count: ODD_LENGTH at the end
        Counting out = new Counting();
        SampleWriter w = PcmWriter.raw(out, SampleEncoding.S16LE, 1);
        StreamPump.InputFault f = assertThrows(StreamPump.InputFault.class, () -> new StreamPump(
                PcmReader.raw(new java.io.ByteArrayInputStream(odd), SampleEncoding.S16LE, 1, 16000), stream(w), w,
                IDLE).run());
        assertEquals(x.length, f.framesWritten());
        assertEquals(2 * x.length, out.size());
        assertTrue(f.getMessage().contains("offset " + bytes.length), f.getMessage());
    }
}

package dev.pdq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.SampleReader;
import java.io.IOException;
import java.util.Arrays;

/** Reads a SampleReader to its end or its fault, checking the read contract on every call. */
public final class Drain {

    /** Everything delivered, and the fault that ended it (null at a clean end). */
    public record Result(float[] values, IOException fault) {
        public int frames(int channels) {
            return values.length / channels;
        }
    }

    private Drain() {
    }

    public static Result readAll(SampleReader r, int len) {
        float[] all = new float[1024];
        int n = 0;
        float[] dst = new float[len + 3];
        while (true) {
            int got;
            try {
                got = r.read(dst, 3, len);
            } catch (IOException e) {
                // sticky: the next read throws the same exception
                IOException again = assertThrows(IOException.class, () -> r.read(dst, 3, len));
                assertSame(e, again);
                assertEquals(n / r.channels(), r.framesDelivered());
                return new Result(Arrays.copyOf(all, n), e);
            }
            if (got < 0) {
                assertEquals(-1, got);
                assertEquals(-1, uncheckedRead(r, dst, len), "read after the end");
                assertEquals(n / r.channels(), r.framesDelivered());
                return new Result(Arrays.copyOf(all, n), null);
            }
            assertTrue(got > 0 && got <= len && got % r.channels() == 0, "read returned " + got);
            if (n + got > all.length) {
                all = Arrays.copyOf(all, Math.max(2 * all.length, n + got));
            }
            System.arraycopy(dst, 3, all, n, got);
            n += got;
        }
    }

    private static int uncheckedRead(SampleReader r, float[] dst, int len) {
        try {
            return r.read(dst, 3, len);
        } catch (IOException e) {
            throw new AssertionError("read after the end threw", e);
        }
    }
}

package dev.pdq.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly as many samples out as in, in process, for lengths from 0 to past three frames of n = 320, batch sizes
 * 1 and 32 and 1, 2 and 4 shifted grids, with the built-in model at L = 1 (the framing is under test, not the
 * solver; one iteration still moves samples, so a lost or doubled frame shows in the values too).
 */
class CliLengthTest {
    static final int N = 320;
    static final int BITS = 4;
    static final double R = 1.0 / (1 << BITS);
    /** Lengths up to here: three frames and one sample. */
    static final int EVERY_LENGTH_UP_TO = 3 * N + 1;

    static Stream<Arguments> settings() {
        return IntStream.of(1, 32).boxed().flatMap(b -> IntStream.of(1, 2, 4).mapToObj(s -> Arguments.of(b, s)));
    }

    /**
     * Every length 0..3n+1 for B = 32, S = 4 (the most framing: four grids, frames sticking out at both ends, and
     * a batch that only fills at the end); for the others (each run costs about 3 ms, mostly reading the model), 0..24
     * and every length within 2 of a multiple of n/S. Plus the batch boundaries of B = 32.
     */
    static int[] lengths(int batch, int shifts) {
        TreeSet<Integer> set = new TreeSet<>();
        boolean all = batch == 32 && shifts == 4;
        for (int len = 0; len <= EVERY_LENGTH_UP_TO; len++) {
            if (all || len <= 24 || near(len, N / shifts)) {
                set.add(len);
            }
        }
        if (batch > 1) {
            for (int frames : new int[] {batch, 2 * batch}) {
                for (int d = -1; d <= 1; d++) {
                    set.add(frames * N + d);
                }
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Within 2 of a multiple of m. */
    static boolean near(int len, int m) {
        int mod = len % m;
        return mod <= 2 || mod >= m - 2;
    }

    @ParameterizedTest(name = "B = {0}, S = {1}")
    @MethodSource("settings")
    void asManySamplesOutAsIn(int batch, int shifts) {
        Random rnd = new Random(1000 * batch + shifts);
        for (int len : lengths(batch, shifts)) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = (float) (-1 + (rnd.nextInt(1 << BITS) + 0.5) * 2 * R); // on the 4-bit grid
            }
            Cli.Result r = Cli.dequantize(Cli.s16le(x), "--iterations", "1", "--batch", String.valueOf(batch),
                    "--shifts", String.valueOf(shifts), "--backend", "java", "--input-format", "s16le");
            int length = len;
            assertEquals(0, r.exitCode(), () -> "length " + length + ": " + r);
            float[] y = Cli.fromS16le(r.stdout());
            assertEquals(len, y.length, "samples out for " + len + " in");
            for (int i = 0; i < len; i++) {
                // on a 4-bit grid x +- r are multiples of 1/32768: the s16 rounding of y stays within r (CliConsistencyTest)
                assertTrue(Math.abs((double) y[i] - x[i]) <= R, "length " + len + ", sample " + i);
            }
        }
    }
}

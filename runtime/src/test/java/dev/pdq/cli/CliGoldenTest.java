package dev.pdq.cli;

import dev.pdq.blas.BlasBackends;
import dev.pdq.quality.Snr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.pdq.cli.GenerateCliGoldenVectors.BITS;
import static dev.pdq.cli.GenerateCliGoldenVectors.ITERATIONS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden vectors of the command line (src/test/resources/cli, written by {@link GenerateCliGoldenVectors}): a
 * speech-like clip, its 4-bit code stream, and the dequantized output that Algorithm 1 in double precision gives,
 * against which pdq dequantize runs on every backend.
 */
class CliGoldenTest {
    /**
     * pdq (float32, either backend, any batch) against the double-precision golden output after L = 50 iterations:
     * measured at most 3e-7 here; the bound is the solver's float-vs-double tolerance (PrimalDualReferenceTest),
     * still 1/6000 of the 4-bit half cell r = 1/16, so a wrong iteration, frame or sample would far exceed it.
     */
    static final float GOLDEN_TOLERANCE = 1e-5f;
    /** The golden output must be a dequantization, not a copy of its input: measured 10.0 dB -> 17.0 (S = 1). */
    static final double MIN_SNR_GAIN_DB = 3;

    static byte[] resource(String name) {
        try (InputStream in = CliGoldenTest.class.getResourceAsStream("/cli/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource cli/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] golden(int shifts) {
        return Cli.fromF32le(resource(GenerateCliGoldenVectors.goldenName(shifts)));
    }

    /** Backend, S, B and the solver threads (0: the default, from the machine). */
    static Stream<Arguments> cases() {
        return BlasBackends.backendLabels().flatMap(backend -> Stream.of(
                Arguments.of(backend, 1, 32, 0), Arguments.of(backend, 1, 1, 0),
                Arguments.of(backend, 2, 32, 0), Arguments.of(backend, 2, 1, 0),
                Arguments.of(backend, 2, 32, 1), Arguments.of(backend, 2, 32, 3)));
    }

    @ParameterizedTest(name = "{0}, S = {1}, B = {2}, solver threads {3}")
    @MethodSource("cases")
    void dequantizeGivesTheGoldenOutput(String backend, int shifts, int batch, int threads) {
        if (backend.equals("native")) {
            BlasBackends.nativeBlas(); // skipped where OpenBLAS is absent, failed under PDQ_REQUIRE_NATIVE=1
        }
        List<String> args = new ArrayList<>(List.of("--model", "dct", "--iterations", String.valueOf(ITERATIONS),
                "--shifts", String.valueOf(shifts), "--batch", String.valueOf(batch), "--backend", backend,
                "--output-format", "f32le"));
        if (threads > 0) {
            args.addAll(List.of("--solver-threads", String.valueOf(threads)));
        }
        Cli.Result r = Cli.dequantize(resource("clip-4bit.pdqc"), args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r::toString);
        float[] y = Cli.fromF32le(r.stdout());
        float[] expected = golden(shifts);
        assertEquals(expected.length, y.length, "samples out");
        for (int t = 0; t < y.length; t++) {
            assertEquals(expected[t], y[t], GOLDEN_TOLERANCE, "sample " + t);
        }
    }

    @Test
    void committedFilesAreWhatTheGeneratorComputes() throws IOException {
        byte[] wav = resource("clip.wav");
        assertArrayEquals(GenerateCliGoldenVectors.clipWav(), wav, "clip.wav is pdq synth --seconds 0.5");
        Cli.Result q = Cli.quantize(wav, "--bits", String.valueOf(BITS));
        assertEquals(0, q.exitCode(), q::toString);
        assertArrayEquals(resource("clip-4bit.pdqc"), q.stdout(), "clip-4bit.pdqc is pdq quantize --bits 4");
        float[] x = GenerateCliGoldenVectors.quantized(GenerateCliGoldenVectors.wavSamples(wav), BITS);
        for (int s : new int[] {1, 2}) {
            // plain double arithmetic (IEEE in Java 17, no transcendental functions): reproducible bit for bit
            assertArrayEquals(GenerateCliGoldenVectors.dequantize(x, BITS, s, ITERATIONS), golden(s),
                    "golden output for S = " + s);
        }
    }

    /** Checked without pdq's own quantizer or decoders: the clip read from its bytes, quantized by the formula. */
    @Test
    void goldenOutputIsConsistentWithTheQuantizedClip() {
        float[] clean = GenerateCliGoldenVectors.wavSamples(resource("clip.wav"));
        float[] x = GenerateCliGoldenVectors.quantized(clean, BITS);
        double r = 1.0 / (1 << BITS);
        for (int s : new int[] {1, 2}) {
            float[] y = golden(s);
            assertEquals(x.length, y.length);
            for (int t = 0; t < y.length; t++) {
                // x and x +- r are exact in float at 4 bits, so the clamp leaves no rounding slack at all
                assertTrue(Math.abs((double) y[t] - x[t]) <= r, "sample " + t + ": |" + y[t] + " - " + x[t] + "| > r");
            }
            double before = Snr.snr(clean, x);
            double after = Snr.snr(clean, y);
            assertTrue(after >= before + MIN_SNR_GAIN_DB, "S = " + s + ": SNR " + before + " dB -> " + after + " dB");
        }
    }

    /** With L = 0 the output is the decoded input itself: the code stream decodes to exactly the clip's quantization. */
    @Test
    void codeStreamDecodesToTheQuantizedClip() {
        Cli.Result r = Cli.dequantize(resource("clip-4bit.pdqc"), "--model", "dct", "--iterations", "0",
                "--shifts", "1", "--backend", "java", "--output-format", "f32le");
        assertEquals(0, r.exitCode(), r::toString);
        float[] x = GenerateCliGoldenVectors.quantized(GenerateCliGoldenVectors.wavSamples(resource("clip.wav")),
                BITS);
        assertArrayEquals(x, Cli.fromF32le(r.stdout()));
    }
}

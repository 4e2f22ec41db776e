package dev.pdq.cli;

import dev.pdq.audio.SampleWriter;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.OutputFormat;
import dev.pdq.operator.Dct;
import dev.pdq.testing.ReferenceSolver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the golden vectors of the command-line tests (runtime/src/test/resources/cli/, see runtime/TESTING.md).
 * Run once, from the checkout root, after a deliberate change of what they pin:
 *
 * <pre>
 *   mvn -B -o -q -DskipTests package
 *   java -cp runtime/target/test-classes:runtime/target/pdq.jar \
 *       dev.pdq.cli.GenerateCliGoldenVectors runtime/src/test/resources/cli
 * </pre>
 * CliGoldenTest checks that the committed files are what this class computes.
 *
 * <p>The files:
 * <ul>
 *   <li>{@code clip.wav}: {@code pdq synth --seconds 0.5} (seed 1), 8000 samples of 16-bit mono WAV at 16 kHz;
 *   <li>{@code clip-4bit.pdqc}: {@code pdq quantize --bits 4 < clip.wav};
 *   <li>{@code clip-4bit.dct-L50-S1.f32le} and {@code clip-4bit.dct-L50-S2.f32le}: what
 *       {@code pdq dequantize --model dct --iterations 50 --shifts S --output-format f32le < clip-4bit.pdqc} must
 *       give, computed here NOT by pdq but by Algorithm 1 in double precision ({@link ReferenceSolver}) with the
 *       framing of the stream written out plainly ({@link #dequantize}), then rounded to float.
 * </ul>
 */
public final class GenerateCliGoldenVectors {
    static final double CLIP_SECONDS = 0.5;
    static final int RATE = 16000;
    static final long SEED = 1;
    static final int BITS = 4;
    static final int N = 320;
    static final int ITERATIONS = 50;
    /** sigma/tau of the DCT model (StepSizes.PAPER_RATIO); theta = 1. */
    static final double STEP_RATIO = 100;

    private GenerateCliGoldenVectors() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "runtime/src/test/resources/cli");
        Files.createDirectories(dir);
        byte[] wav = clipWav();
        Files.write(dir.resolve("clip.wav"), wav);
        Cli.Result q = Cli.quantize(wav, "--bits", String.valueOf(BITS));
        if (q.exitCode() != 0) {
            throw new IllegalStateException("pdq quantize failed: " + q);
        }
        Files.write(dir.resolve("clip-4bit.pdqc"), q.stdout());
        float[] x = quantized(wavSamples(wav), BITS);
        for (int s : new int[] {1, 2}) {
            Files.write(dir.resolve(goldenName(s)), Cli.f32le(dequantize(x, BITS, s, ITERATIONS)));
        }
        System.err.println("wrote the golden vectors to " + dir.toAbsolutePath());
    }

    static String goldenName(int shifts) {
        return "clip-4bit.dct-L" + ITERATIONS + "-S" + shifts + ".f32le";
    }

    /** The clip exactly as pdq synth writes it: SpeechSynth through the 16-bit WAV writer. */
    static byte[] clipWav() throws IOException {
        float[] clean = SpeechSynth.generate(CLIP_SECONDS, RATE, SEED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SampleWriter w = AudioStreams.openOutput(out, OutputFormat.WAV, 1, RATE)) {
            w.write(clean, 0, clean.length);
        }
        return out.toByteArray();
    }

    /** The samples of a mono 16-bit WAV as s/32768, read directly: the 44-byte header, then s16le. */
    static float[] wavSamples(byte[] wav) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        String tags = new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)
                + new String(wav, 8, 8, java.nio.charset.StandardCharsets.US_ASCII)
                + new String(wav, 36, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (!tags.equals("RIFFWAVEfmt data") || b.getShort(20) != 1 || b.getShort(22) != 1 || b.getShort(34) != 16) {
            throw new IllegalStateException("not the 44-byte header of a mono 16-bit PCM WAV: " + tags);
        }
        float[] v = new float[(wav.length - 44) / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getShort(44 + 2 * i) / 32768f;
        }
        return v;
    }

    /** The mid-rise quantizer of design.md, in double: -1 + step*(clamp(floor((v+1)/step), 0, Q-1) + 0.5). */
    static float[] quantized(float[] v, int bits) {
        int levels = 1 << bits;
        double step = 2.0 / levels;
        float[] q = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int c = (int) Math.max(0, Math.min(levels - 1, Math.floor((v[i] + 1.0) / step)));
            q[i] = (float) (-1 + step * (c + 0.5));
        }
        return q;
    }

    /**
     * The stream's output for one channel x, independently: for each of S grids g (frames starting at
     * -g*n/S + j*n, covering the signal), every frame is filled from x mirrored about its first and last sample,
     * solved by Algorithm 1 in double with K = DCT (||K|| = 1, so sigma = 10*0.99 and tau = 0.099), and each sample
     * is the mean of its S frame solutions, clamped to [x - r, x + r].
     */
    static float[] dequantize(float[] x, int bits, int shifts, int iterations) {
        double r = 1.0 / (1 << bits);
        double[][] k = dct(N);
        double sigma = Math.sqrt(STEP_RATIO) * 0.99;
        double tau = 0.99 / Math.sqrt(STEP_RATIO);
        ReferenceSolver solver = new ReferenceSolver(k, sigma, tau, 1.0);
        int len = x.length;
        double[] sum = new double[len];
        for (int g = 0; g < shifts; g++) {
            for (long start = -(long) g * (N / shifts); start < len; start += N) {
                double[] frame = new double[N];
                for (int i = 0; i < N; i++) {
                    frame[i] = x[mirror(start + i, len)];
                }
                double[] y = solver.run(frame, r, iterations).y;
                for (int i = 0; i < N; i++) {
                    long t = start + i;
                    if (t >= 0 && t < len) {
                        sum[(int) t] += y[i];
                    }
                }
            }
        }
        float[] out = new float[len];
        for (int t = 0; t < len; t++) {
            double v = sum[t] / shifts;
            out[t] = (float) Math.max(x[t] - r, Math.min(x[t] + r, v));
        }
        return out;
    }

    /** Position t of a signal of length len reflected about its first and last sample (whole-sample symmetry). */
    static int mirror(long t, int len) {
        if (len == 1) {
            return 0;
        }
        long period = 2L * (len - 1);
        long m = Math.floorMod(t, period);
        return (int) (m < len ? m : period - m);
    }

    /** The orthonormal DCT-II of the runtime (float32 entries), widened to double. */
    static double[][] dct(int n) {
        float[] m = Dct.orthonormalDct2(n);
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] = m[i * n + j];
            }
        }
        return k;
    }
}

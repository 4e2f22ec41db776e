package dev.pdq.operator;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures which iteration count L the built-in DCT model should default to (design.md: L acts as a regularizer,
 * so it is chosen by measurement). For each of the first F WAV files of a folder (16-bit mono PCM): peak-normalize
 * to 1, quantize at the given bits, cut into frames of n (the last zero-padded), run PrimalDual with K = DCT and
 * report the per-file SNR 10 log10(sum s^2 / sum (s - y)^2) over the file's samples at each L, averaged over files.
 * One run to the largest L gives every smaller L on the way (the iteration is deterministic).
 *
 * <p>Usage: ChooseDefaultIterations FOLDER [files=10] [bits=4] [L list=10,20,50,100,200]. The Blas is JavaBlas, or
 * the class named by the system property pdq.blasClass. Results go to stderr.
 */
public final class ChooseDefaultIterations {
    public static void main(String[] args) throws Exception {
        Path folder = Paths.get(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int bits = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int[] ls = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 20, 50, 100, 200};
        String blasClass = System.getProperty("pdq.blasClass");
        Blas blas = blasClass == null ? new JavaBlas()
                : (Blas) Class.forName(blasClass).getDeclaredConstructor().newInstance();
        int n = 320;
        Quantizer q = new Quantizer(bits);
        Operator op = Operator.dct(n, bits, 16000, 1);
        List<Path> wavs;
        try (Stream<Path> s = Files.list(folder)) {
            wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(files).collect(Collectors.toList());
        }
        int maxL = Arrays.stream(ls).max().orElseThrow();
        double[] sum = new double[ls.length];
        double inputSum = 0;
        long t0 = System.nanoTime();
        for (Path wav : wavs) {
            float[] s = peakNormalized(readPcm16Mono(wav));
            int frames = (s.length + n - 1) / n;
            float[] x = new float[frames * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = q.quantize(i < s.length ? s[i] : 0f);
            }
            PrimalDual pd = op.newSolver(blas, frames);
            pd.load(x, 0, frames, q.halfWidth());
            float[] y = new float[frames * n];
            double inputSnr = snr(s, x);
            inputSum += inputSnr;
            StringBuilder line = new StringBuilder(String.format("%s  input %.2f dB", wav.getFileName(), inputSnr));
            int next = 0;
            for (int l = 1; l <= maxL; l++) {
                pd.iterate();
                for (int c = 0; c < ls.length; c++) {
                    if (ls[c] == l) {
                        pd.readPrimal(y, 0);
                        double v = snr(s, y);
                        sum[c] += v;
                        line.append(String.format("  L=%d %.2f", l, v));
                    }
                }
            }
            System.err.println(line);
        }
        System.err.printf("%d files, %d bits, %s, %.1f s%n", wavs.size(), bits, blas.description(),
                (System.nanoTime() - t0) / 1e9);
        System.err.printf("| L | mean SNR (dB) |%n| --- | --- |%n| 0 (quantized input) | %.2f |%n",
                inputSum / wavs.size());
        for (int c = 0; c < ls.length; c++) {
            System.err.printf("| %d | %.2f |%n", ls[c], sum[c] / wavs.size());
        }
    }

    /** 10 log10(sum s^2 / sum (s - y)^2) over s's samples. */
    static double snr(float[] s, float[] y) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < s.length; i++) {
            double e = s[i] - (double) y[i];
            num += (double) s[i] * s[i];
            den += e * e;
        }
        return 10 * Math.log10(num / den);
    }

    static float[] peakNormalized(float[] s) {
        float peak = 0;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] / peak;
        }
        return out;
    }

    /** Samples / 32768 of a 16-bit mono PCM WAV (just enough of RIFF for the corpus). */
    static float[] readPcm16Mono(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(wav + ": not a RIFF WAVE file");
        }
        int pos = 12;
        boolean fmtOk = false;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                fmtOk = b.getShort(pos + 8) == 1 && b.getShort(pos + 10) == 1 && b.getShort(pos + 22) == 16;
            } else if (id == 0x61746164) { // "data"
                if (!fmtOk) {
                    throw new IOException(wav + ": not 16-bit mono PCM");
                }
                int count = Math.min(size, b.limit() - pos - 8) / 2;
                float[] s = new float[count];
                for (int i = 0; i < count; i++) {
                    s[i] = b.getShort(pos + 8 + 2 * i) / 32768f;
                }
                return s;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(wav + ": no data chunk");
    }
}

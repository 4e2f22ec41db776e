package dev.pdq.codes;

import dev.pdq.audio.PcmReader;
import dev.pdq.quality.Snr;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures block floating point against its gain block length N (runtime/CODESTREAM-2.md, "Choosing the gain block
 * length"): for every WAV file of a folder (every channel a signal), scaled to a peak of each level in dBFS, the
 * signal goes through {@link CodeStreamWriterV2} (BFP, B bits, gain blocks of N, block capacity F) and back through
 * {@link CodeStreamReader}; it reports the bits a sample on the wire (the whole stream: header, blocks, exponents,
 * CRCs, end marker; total bits over total samples) and the per-file mean SNR 10 log10(sum s^2 / sum (s - x)^2) of
 * the decoded values x against the scaled clean signal s (no dequantization). The row "uniform" is the version-1
 * stream of {@link CodeStreamWriter} at the same bits (F = 320). Every decoded signal is also checked against
 * {@link BlockFloatQuantizer#quantize} and every clean sample against its cell.
 *
 * <p>Usage (from the repository root, after {@code mvn -B -o -q -pl runtime -am test-compile}):
 * <pre>
 *   java -cp runtime/target/test-classes:runtime/target/classes dev.pdq.codes.MeasureGainBlocks \
 *       FOLDER [bits=3,4,5,6] [N=16,20,32,40,64,80,160,320] [levels=0,-10,-20,-30] [F=1280]
 * </pre>
 * F is rounded down to a multiple of N. The table (markdown) goes to stdout, progress to stderr.
 */
public final class MeasureGainBlocks {

    private MeasureGainBlocks() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int[] bitsList = ints(args.length > 1 ? args[1] : "3,4,5,6");
        int[] lengths = ints(args.length > 2 ? args[2] : "16,20,32,40,64,80,160,320");
        int[] levels = ints(args.length > 3 ? args[3] : "0,-10,-20,-30");
        int capacity = args.length > 4 ? Integer.parseInt(args[4]) : CodeStreamFormat.DEFAULT_BFP_BLOCK_FRAMES;
        List<float[]> signals = read(folder);
        long samples = signals.stream().mapToLong(s -> s.length).sum();
        System.err.printf("%s: %d signals, %d samples%n", folder, signals.size(), samples);

        StringBuilder head = new StringBuilder("| B | N | F | bits a sample |");
        StringBuilder rule = new StringBuilder("| --- | --- | --- | --- |");
        for (int level : levels) {
            head.append(" ").append(level).append(" dBFS |");
            rule.append(" --- |");
        }
        System.out.println(head);
        System.out.println(rule);
        for (int bits : bitsList) {
            for (int n : lengths) {
                int f = Math.max(n, capacity / n * n);
                StringBuilder row = new StringBuilder();
                long bytes = 0;
                for (int li = 0; li < levels.length; li++) {
                    double snrSum = 0;
                    long levelBytes = 0;
                    for (float[] s : signals) {
                        float[] clean = scaled(s, levels[li]);
                        float[] decoded = new float[clean.length];
                        levelBytes += bfp(clean, bits, n, f, decoded);
                        snrSum += Snr.snr(clean, decoded);
                    }
                    bytes = levelBytes;
                    row.append(String.format(" %.2f |", snrSum / signals.size()));
                }
                System.out.printf("| %d | %d | %d | %.3f |%s%n", bits, n, f, 8.0 * bytes / samples, row);
                System.out.flush();
            }
            StringBuilder row = new StringBuilder();
            long bytes = 0;
            for (int level : levels) {
                double snrSum = 0;
                bytes = 0;
                for (float[] s : signals) {
                    float[] clean = scaled(s, level);
                    float[] decoded = new float[clean.length];
                    bytes += uniform(clean, bits, decoded);
                    snrSum += Snr.snr(clean, decoded);
                }
                row.append(String.format(" %.2f |", snrSum / signals.size()));
            }
            System.out.printf("| %d | uniform | 320 | %.3f |%s%n", bits, 8.0 * bytes / samples, row);
        }
    }

    /** Encodes through the v2 writer, decodes through the reader into {@code decoded}; returns the stream's bytes. */
    static long bfp(float[] clean, int bits, int n, int f, float[] decoded) throws IOException {
        BlockFloatQuantizer q = new BlockFloatQuantizer(bits, n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, q, 1, 16000, f)) {
            for (int off = 0; off < clean.length; off += 4096) {
                w.write(clean, off, Math.min(4096, clean.length - off));
            }
        }
        byte[] stream = out.toByteArray();
        float[] below = new float[clean.length];
        float[] above = new float[clean.length];
        drain(CodeStreamReader.open(new ByteArrayInputStream(stream)), decoded, below, above);
        float[] x = new float[clean.length];
        float[] lo = new float[clean.length];
        float[] hi = new float[clean.length];
        q.quantize(clean, 0, clean.length, x, lo, hi, 0);
        for (int i = 0; i < clean.length; i++) {
            if (x[i] != decoded[i] || lo[i] != below[i] || hi[i] != above[i]) {
                throw new AssertionError("sample " + i + ": the stream decodes to " + decoded[i] + " +- " + above[i]
                        + ", the quantizer gives " + x[i] + " +- " + hi[i]);
            }
            if (!(clean[i] >= x[i] + lo[i] && clean[i] <= x[i] + hi[i])) {
                throw new AssertionError("sample " + i + " = " + clean[i] + " outside its cell " + x[i] + " +- "
                        + hi[i]);
            }
        }
        return stream.length;
    }

    static long uniform(float[] clean, int bits, float[] decoded) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CodeStreamWriter w = new CodeStreamWriter(out, bits, 1, 16000, CodeStreamFormat.DEFAULT_BLOCK_FRAMES)) {
            w.write(clean, 0, clean.length);
        }
        byte[] stream = out.toByteArray();
        drain(CodeStreamReader.open(new ByteArrayInputStream(stream)), decoded, new float[clean.length],
                new float[clean.length]);
        Quantizer q = new Quantizer(bits);
        for (int i = 0; i < clean.length; i++) {
            if (decoded[i] != q.quantize(clean[i])) {
                throw new AssertionError("uniform: sample " + i);
            }
        }
        return stream.length;
    }

    private static void drain(CodeStreamReader r, float[] x, float[] below, float[] above) throws IOException {
        int count = 0;
        int got;
        while (count < x.length && (got = r.readCells(x, below, above, count, x.length - count)) > 0) {
            count += got;
        }
        if (count != x.length || r.read(new float[1], 0, 1) != -1) {
            throw new AssertionError("decoded " + count + " of " + x.length + " samples");
        }
    }

    /** s scaled to a peak of 10^(level/20) (s's own peak is not 0: silent signals are skipped when read). */
    static float[] scaled(float[] s, int levelDb) {
        float peak = 0;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        double gain = Math.pow(10, levelDb / 20.0) / peak;
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] * gain);
        }
        return out;
    }

    /** Every channel of every WAV file of the folder, in name order; silent channels skipped. */
    static List<float[]> read(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        List<float[]> out = new ArrayList<>();
        for (Path p : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(p)); PcmReader r = PcmReader.wav(in)) {
                int ch = r.channels();
                float[] all = new float[1 << 16];
                int count = 0;
                int got;
                while ((got = r.read(all, count, all.length - count)) > 0) {
                    count += got;
                    if (all.length - count < ch) {
                        all = Arrays.copyOf(all, 2 * all.length);
                    }
                }
                for (int c = 0; c < ch; c++) {
                    float[] one = new float[count / ch];
                    boolean silent = true;
                    for (int t = 0; t < one.length; t++) {
                        one[t] = all[t * ch + c];
                        silent &= one[t] == 0;
                    }
                    if (!silent) {
                        out.add(one);
                    }
                }
            }
        }
        return out;
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}

package dev.pdq.adpcm;

import dev.pdq.audio.PcmReader;
import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.WavHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the IMA ADPCM encoders in use against the ladder's cells (runtime/ADPCM.md): for every WAV file (16-bit
 * mono) of the folders, scaled to each peak level (v = s g, g = 10^(L/20) / max|s|, rounded to 16 bits as
 * {@link PcmWriter#toS16}), it encodes with sox (no dither: {@code sox -D}; and as a user types it, with sox's
 * default dither), ffmpeg ({@code -c:a adpcm_ima_wav}) and pdq's {@link ImaWavWriter}, then decodes each with
 * pdq's decoder and reports, per encoder and level:
 *
 * <ul>
 *   <li>the fraction of samples whose clean 16-bit value lies outside the ladder cell of its code (slack none),
 *       and the largest excess in LSB towards the predictor (inner), away from it (outer) and around a block's
 *       header sample;</li>
 *   <li>the per-file mean SNR 10 log10(sum c^2 / sum (c - x)^2) of the decoded x against the clean 16-bit c;</li>
 *   <li>bits a sample on the wire, 8 blockAlign / (channels samplesPerBlock), the data chunk only;</li>
 *   <li>samples where pdq's decoder differs from sox's and ffmpeg's decoders (the first fact-count samples; both
 *       decode the last block's padding too).</li>
 * </ul>
 *
 * Usage: MeasureImaEncoders LEVELS FOLDER... (LEVELS e.g. 0,-20). System properties: {@code pdq.encoders}, the
 * encoders to run by index (default all: 0 sox -D, 1 sox with dither, 2 ffmpeg, 3 pdq, 4 pdq with the step index
 * reset to 0 at every block); {@code pdq.compareDecoders=false} skips decoding with sox and ffmpeg. Results go to
 * stderr; temporary files under java.io.tmpdir. The last column is the SNR of ffmpeg's own decoder
 * (dq = ((2m + 1) step) >> 3), which its encoder tracks.
 */
public final class MeasureImaEncoders {

    private static final String[] ENCODERS = {"sox -D", "sox (dither)", "ffmpeg", "pdq", "pdq, index 0"};

    /** Totals of one encoder at one level. */
    static final class Tally {
        long samples;
        long outside;
        int inner;
        int outer;
        int header;
        double snrSum;
        int files;
        long decoderMismatchSox;
        long decoderMismatchFfmpeg;
        double bitsPerSample;
        double snrMultiplySum;
        long outsideDivisionReference;
        long outsideDivisionMultiply;
    }

    private MeasureImaEncoders() {
    }

    public static void main(String[] args) throws Exception {
        double[] levels = Arrays.stream(args[0].split(",")).mapToDouble(Double::parseDouble).toArray();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            try (Stream<Path> s = Files.list(Path.of(args[i]))) {
                s.filter(p -> p.toString().endsWith(".wav")).sorted().forEach(files::add);
            }
        }
        Path tmp = Files.createTempDirectory("pdq-ima");
        int[] run = Arrays.stream(System.getProperty("pdq.encoders", "0,1,2,3,4").split(","))
                .mapToInt(Integer::parseInt).toArray();
        boolean compare = Boolean.parseBoolean(System.getProperty("pdq.compareDecoders", "true"));
        Tally[][] t = new Tally[levels.length][ENCODERS.length];
        for (Tally[] row : t) {
            for (int e = 0; e < row.length; e++) {
                row[e] = new Tally();
            }
        }
        for (Path file : files) {
            short[] raw = readMono16(file);
            for (int l = 0; l < levels.length; l++) {
                short[] clean = scaled(raw, levels[l]);
                Path cleanWav = tmp.resolve("clean.wav");
                writePcm(cleanWav, clean);
                for (int e : run) {
                    Path out = tmp.resolve("e" + e + ".wav");
                    encode(e, cleanWav, clean, out);
                    measure(Files.readAllBytes(out), out, clean, t[l][e], compare);
                }
            }
            System.err.print(".");
        }
        System.err.println();
        System.err.printf(Locale.ROOT, "%d files; clean = the 16-bit scaled file; cells of slack none%n", files.size());
        System.err.println("level  encoder        outside   inner outer header  mean SNR  bits/sample  "
                + "decoder != sox, != ffmpeg   outside division cells (reference, multiply decoder)  "
                + "SNR, ffmpeg's decoder");
        for (int l = 0; l < levels.length; l++) {
            for (int e : run) {
                Tally a = t[l][e];
                System.err.printf(Locale.ROOT, "%5.0f  %-13s %7.3f%%  %5d %5d %6d  %8.3f  %11.4f  %s  %.3f%%, %.3f%%"
                                + "  %8.3f%n",
                        levels[l], ENCODERS[e], 100.0 * a.outside / a.samples, a.inner, a.outer, a.header,
                        a.snrSum / a.files, a.bitsPerSample,
                        compare ? a.decoderMismatchSox + ", " + a.decoderMismatchFfmpeg : "not compared",
                        100.0 * a.outsideDivisionReference / a.samples, 100.0 * a.outsideDivisionMultiply / a.samples,
                        a.snrMultiplySum / a.files);
            }
        }
    }

    static short[] scaled(short[] s, double levelDb) {
        int peak = 0;
        for (short v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        double g = Math.pow(10, levelDb / 20) / (peak / 32768.0);
        short[] c = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            c[i] = PcmWriter.toS16((float) (s[i] / 32768.0 * g));
        }
        return c;
    }

    private static void encode(int encoder, Path cleanWav, short[] clean, Path out) throws Exception {
        switch (encoder) {
            case 0 -> run(null, "sox", "-q", "-D", cleanWav.toString(), "-e", "ima-adpcm", out.toString());
            case 1 -> run(null, "sox", "-q", cleanWav.toString(), "-e", "ima-adpcm", out.toString());
            case 2 -> run(null, "ffmpeg", "-loglevel", "error", "-y", "-i", cleanWav.toString(), "-c:a",
                    "adpcm_ima_wav", out.toString());
            case 4 -> {
                // pdq's encoder with the step index reset to 0 at every block (segment-independent)
                ImaBlockEncoder[] enc = {null};
                byte[] block = new byte[256];
                short[] pcm = new short[505];
                try (OutputStream o = Files.newOutputStream(out)) {
                    o.write(WavHeader.encodeIma(1, 16000, 256, clean.length));
                    for (int start = 0; start < clean.length; start += 505) {
                        int frames = Math.min(505, clean.length - start);
                        System.arraycopy(clean, start, pcm, 0, frames);
                        enc[0] = new ImaBlockEncoder(1, 505);
                        enc[0].encode(pcm, 0, frames, block, 0);
                        o.write(block);
                    }
                }
            }
            default -> {
                float[] v = new float[clean.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = clean[i] / 32768f;
                }
                try (OutputStream o = Files.newOutputStream(out);
                     ImaWavWriter w = ImaWavWriter.open(o, 1, 16000)) {
                    w.write(v, 0, v.length);
                }
                try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    if (!ImaWavWriter.patchSizes(ch, clean.length)) {
                        throw new IllegalStateException("patchSizes refused pdq's own file");
                    }
                }
            }
        }
    }

    /** Decodes {@code wav} code by code, compares with the clean samples and the other decoders. */
    private static void measure(byte[] wav, Path path, short[] clean, Tally t, boolean compare) throws Exception {
        WavHeader h = WavHeader.read(new ByteArrayInputStream(wav), true);
        int ba = h.ima().blockAlign();
        int spb = h.ima().samplesPerBlock();
        t.bitsPerSample = 8.0 * ba / (h.channels() * spb);
        int n = clean.length;
        int[] x = new int[(int) ((h.dataBytes() / ba) * spb)];
        int at = (int) h.dataOffset();
        double signal = 0;
        double noise = 0;
        double noiseMultiply = 0;
        for (int b = 0; b * spb < n; b++, at += ba) {
            int p = (short) ((wav[at] & 0xff) | (wav[at + 1] & 0xff) << 8);
            int idx = wav[at + 2] & 0xff;
            int pRef = p;   // the reference decoder's predictor (p below is the same)
            int pMul = p;   // ffmpeg's decoder: dq = ((2 m + 1) step) >> 3
            for (int f = 0; f < spb && b * spb + f < x.length; f++) {
                int i = b * spb + f;
                int lo;
                int hi;
                int code = -1;
                int s;
                if (f == 0) {
                    s = p;
                    lo = p;
                    hi = p;
                } else {
                    int k = f - 1;
                    int byt = wav[at + 4 + 4 * (k >> 3) + ((k & 7) >> 1)] & 0xff;
                    code = (k & 1) == 0 ? byt & 15 : byt >> 4;
                    int step = ImaAdpcm.step(idx);
                    s = ImaAdpcm.decode(p, step, code);
                    lo = ImaCells.low(p, step, code, s, ImaCells.Slack.NONE);
                    hi = ImaCells.high(p, step, code, s, ImaCells.Slack.NONE);
                    p = s;
                    idx = ImaAdpcm.nextIndex(idx, code);
                    if (i < n) {
                        if (!inDivisionCell(clean[i], pRef, step, code)) {
                            t.outsideDivisionReference++;
                        }
                        if (!inDivisionCell(clean[i], pMul, step, code)) {
                            t.outsideDivisionMultiply++;
                        }
                    }
                    pRef = s;
                    int diff = ((2 * (code & 7) + 1) * step) >> 3;
                    pMul = ImaAdpcm.clamp16((code & 8) != 0 ? pMul - diff : pMul + diff);
                }
                if (i < n) {
                    noiseMultiply += (double) (clean[i] - pMul) * (clean[i] - pMul);
                }
                x[i] = s;
                if (i >= n) {
                    continue;
                }
                int c = clean[i];
                signal += (double) c * c;
                noise += (double) (c - s) * (c - s);
                t.samples++;
                int below = lo - c;
                int above = c - hi;
                if (below > 0 || above > 0) {
                    t.outside++;
                    if (code < 0) {
                        t.header = Math.max(t.header, Math.max(below, above));
                    } else if ((code & 8) == 0) {
                        t.inner = Math.max(t.inner, below);
                        t.outer = Math.max(t.outer, above);
                    } else {
                        t.outer = Math.max(t.outer, below);
                        t.inner = Math.max(t.inner, above);
                    }
                }
            }
        }
        t.snrSum += 10 * Math.log10(signal / noise);
        t.snrMultiplySum += 10 * Math.log10(signal / noiseMultiply);
        t.files++;
        // the same values through the reader
        float[] r = new float[n];
        try (ImaWavReader reader = ImaWavReader.open(new ByteArrayInputStream(wav), ImaCells.Slack.NONE)) {
            int got = 0;
            int k;
            while (got < n && (k = reader.read(r, got, n - got)) > 0) {
                got += k;
            }
            if (got != Math.min(n, h.ima().factFrames())) {
                throw new IllegalStateException(path + ": the reader gave " + got + " of " + n);
            }
        }
        for (int i = 0; i < n; i++) {
            if (r[i] * 32768f != x[i]) {
                throw new IllegalStateException(path + ": the reader differs at " + i);
            }
        }
        if (!compare) {
            return;
        }
        short[] sox = s16(run(null, "sox", "-q", path.toString(), "-t", "s16", "-"));
        short[] ff = s16(run(null, "ffmpeg", "-loglevel", "error", "-i", path.toString(), "-f", "s16le", "-"));
        for (int i = 0; i < n; i++) {
            if (i >= sox.length || sox[i] != x[i]) {
                t.decoderMismatchSox++;
            }
            if (i >= ff.length || ff[i] != x[i]) {
                t.decoderMismatchFfmpeg++;
            }
        }
    }

    /**
     * Whether sample c lies in the cell of code with predictor p under division encoders (sox, ffmpeg 5.1):
     * m = min(7, floor(4 |c - p| / step)), sign bit set when c < p.
     */
    static boolean inDivisionCell(int c, int p, int step, int code) {
        int d = c - p;
        int m = Math.min(7, (Math.abs(d) << 2) / step);
        return (m | (d < 0 ? 8 : 0)) == code;
    }

    static byte[] run(byte[] stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream o = p.getOutputStream()) {
            if (stdin != null) {
                o.write(stdin);
            }
        }
        byte[] out;
        try (InputStream i = p.getInputStream()) {
            out = i.readAllBytes();
        }
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    static short[] s16(byte[] b) {
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    static short[] readMono16(Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file));
             PcmReader r = PcmReader.wav(in)) {
            if (r.channels() != 1 || r.encoding() != SampleEncoding.S16LE) {
                throw new IOException(file + " is not 16-bit mono");
            }
            float[] all = new float[1 << 16];
            int n = 0;
            int k;
            while ((k = r.read(all, n, all.length - n)) > 0) {
                n += k;
                if (n == all.length) {
                    all = Arrays.copyOf(all, 2 * n);
                }
            }
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                s[i] = (short) (all[i] * 32768f);
            }
            return s;
        }
    }

    static void writePcm(Path file, short[] s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(s);
        try (OutputStream o = Files.newOutputStream(file)) {
            o.write(WavHeader.encode(SampleEncoding.S16LE, 1, 16000, s.length));
            o.write(b.array());
        }
    }
}

package dev.pdq.adpcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.WavHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMA ADPCM against sox and ffmpeg, where they are installed (.ci/run installs both; elsewhere these tests are
 * skipped with a message on stderr): sox decodes pdq's files to pdq's values and pdq decodes sox's files to
 * sox's, bit for bit; the headers are sox's byte for byte; the clean samples lie in their cells widened by the
 * slack of the encoder that wrote them (runtime/ADPCM.md).
 */
class ImaInteropTest {

    static final Path SOX = Path.of("/usr/bin/sox");
    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    @TempDir
    Path dir;

    static void require(Path tool) {
        dev.pdq.blas.TestJvm.assumeHostToolsRunHere("ImaInteropTest");
        if (!Files.isExecutable(tool)) {
            System.err.println("**** ImaInteropTest: SKIPPED: " + tool + " is not installed; the IMA ADPCM tests"
                    + " against it did not run ****");
        }
        Assumptions.assumeTrue(Files.isExecutable(tool), tool + " is not installed");
    }

    static byte[] run(byte[] stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (stdin != null) {
                    o.write(stdin);
                }
            } catch (IOException e) {
                // the tool stopped reading; its exit status tells
            }
        });
        feeder.start();
        byte[] out;
        try (InputStream i = p.getInputStream()) {
            out = i.readAllBytes();
        }
        feeder.join();
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
        return out;
    }

    static int[] s16(byte[] b) {
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        int[] v = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i];
        }
        return v;
    }

    /** v scaled by gain in place, then rounded to 16 bits. */
    private static int[] scaledS16(float[] v, double gain) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) gain;
        }
        return ImaSignals.s16(v);
    }

    /** Has ffmpeg encode the 16-bit samples as an IMA ADPCM WAV (in.wav to ff.wav under dir); returns ff.wav. */
    private Path ffmpegIma(int[] clean, int channels) throws Exception {
        Path in = dir.resolve("in.wav");
        Path out = dir.resolve("ff.wav");
        Files.write(in, pcmWav(clean, channels));
        run(null, FFMPEG.toString(), "-loglevel", "error", "-y", "-i", in.toString(), "-c:a", "adpcm_ima_wav",
                out.toString());
        return out;
    }

    static byte[] pcmWav(int[] s, int channels) {
        ByteBuffer b = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : s) {
            b.putShort((short) v);
        }
        byte[] h = WavHeader.encode(SampleEncoding.S16LE, channels, 16000, s.length / channels);
        byte[] all = Arrays.copyOf(h, h.length + b.capacity());
        System.arraycopy(b.array(), 0, all, h.length, b.capacity());
        return all;
    }

    /** Step indices and codes seen in a file's blocks, to show what the bit-exact comparisons covered. */
    static void coverage(byte[] wav, boolean[] indices, boolean[] codes) throws IOException {
        WavHeader h = WavHeader.read(new java.io.ByteArrayInputStream(wav), true);
        int ch = h.channels();
        int ba = h.ima().blockAlign();
        int spb = h.ima().samplesPerBlock();
        for (int at = (int) h.dataOffset(); at + ba <= wav.length; at += ba) {
            for (int c = 0; c < ch; c++) {
                int idx = wav[at + 4 * c + 2] & 0xff;
                for (int k = 0; k < spb - 1; k++) {
                    int b = wav[at + 4 * ch * (1 + k / 8) + 4 * c + (k % 8) / 2] & 0xff;
                    int code = k % 2 == 0 ? b & 15 : b >> 4;
                    indices[idx] = true;
                    codes[code] = true;
                    idx = ImaAdpcm.nextIndex(idx, code);
                }
            }
        }
    }

    static final int[] LENGTHS = {1, 2, 9, 504, 505, 506, 1600, 4000};

    /** sox decodes pdq's files (sized and pipe headers, 1 to 3 channels) to exactly pdq's values. */
    @Test
    void soxDecodesPdqsFilesToPdqsValues() throws Exception {
        require(SOX);
        for (int channels = 1; channels <= 3; channels++) {
            for (int frames : LENGTHS) {
                float[] v = ImaSignals.mixed(frames, channels, frames);
                int ba = ImaAdpcm.soxBlockAlign(channels);
                byte[] pipe = ImaSignals.write(v, channels, ba);
                byte[] sized = ImaSignals.sized(pipe, channels, ba, frames);
                int[] ours = ImaWavReaderTest.read(sized).x();
                assertEquals(frames * channels, ours.length);
                String what = frames + " frames, " + channels + " channels";
                // sox decodes whole blocks (it ignores the fact chunk): the first frames are the file's
                int[] soxSized = s16(run(sized, SOX.toString(), "-q", "-t", "wav", "-", "-t", "s16", "-"));
                int[] soxPipe = s16(run(pipe, SOX.toString(), "-q", "-t", "wav", "-", "-t", "s16", "-"));
                int blocks = (frames + 504) / 505;
                assertEquals(blocks * 505 * channels, soxSized.length, what);
                assertArrayEquals(ours, Arrays.copyOf(soxSized, ours.length), what);
                assertArrayEquals(soxSized, soxPipe, what + ": the pipe header");
                assertArrayEquals(ImaWavReaderTest.read(pipe).x(), soxPipe, what + ": our reading of the pipe file");
            }
        }
    }

    /** pdq decodes sox's files as sox does, for signals that reach every step index and code. */
    @Test
    void pdqDecodesSoxsFilesAsSoxDoes() throws Exception {
        require(SOX);
        boolean[] indices = new boolean[89];
        boolean[] codes = new boolean[16];
        for (int channels = 1; channels <= 3; channels++) {
            for (int frames : new int[] {1, 506, 3000, 16000}) {
                for (int seed = 0; seed < 6; seed += channels) {
                    int[] clean = ImaSignals.s16(ImaSignals.mixed(frames, channels, seed));
                    byte[] wav = run(pcmWav(clean, channels), SOX.toString(), "-q", "-D", "-t", "wav", "-",
                            "-e", "ima-adpcm", "-t", "wav", "-");
                    coverage(wav, indices, codes);
                    int[] sox = s16(run(wav, SOX.toString(), "-q", "-t", "wav", "-", "-t", "s16", "-"));
                    ImaSignals.Cells ours = ImaWavReaderTest.read(wav);
                    String what = frames + " frames, " + channels + " channels, seed " + seed;
                    assertNull(ours.fault(), what);
                    assertTrue(sox.length >= ours.x().length, what);
                    assertArrayEquals(Arrays.copyOf(sox, ours.x().length), ours.x(), what);
                }
            }
        }
        for (int i = 0; i < 89; i++) {
            assertTrue(indices[i], "step index " + i + " never reached: the comparison did not cover it");
        }
        for (int c = 0; c < 16; c++) {
            assertTrue(codes[c], "code " + c + " never seen");
        }
    }

    /** Headers: sox's for a known length and for a pipe, against WavHeader.encodeIma, byte for byte. */
    @Test
    void headersAreSoxs() throws Exception {
        require(SOX);
        for (int rate : new int[] {8000, 16000, 44100}) {
            for (int channels = 1; channels <= 3; channels++) {
                int ba = ImaAdpcm.soxBlockAlign(channels);
                String[] in = {SOX.toString(), "-q", "-D", "-t", "s16", "-r", "" + rate, "-c", "" + channels, "-"};
                byte[] raw = new byte[2 * channels * 1234];
                byte[] piped = run(raw, concat(in, "-e", "ima-adpcm", "-t", "wav", "-"));
                assertArrayEquals(WavHeader.encodeIma(channels, rate, ba, -1), Arrays.copyOf(piped, 60),
                        rate + " Hz, " + channels + " channels, pipe");
                Path f = dir.resolve("h.wav");
                run(raw, concat(in, "-e", "ima-adpcm", f.toString()));
                assertArrayEquals(WavHeader.encodeIma(channels, rate, ba, 1234),
                        Arrays.copyOf(Files.readAllBytes(f), 60), rate + " Hz, " + channels + " channels, file");
            }
        }
    }

    /**
     * The clean samples lie in sox's cells (the SOX dialect) widened by the slack of the encoder: sox -D in {@link
     * ImaCells.Slack#SOX} (none but the later channels' headers), sox with its default dither in {@link
     * ImaCells.Slack#SOX_DITHER}; in the ladder's cells (REFERENCE) without slack both have samples outside (so
     * the dialect matters and the check can fail), and the dithered files more than sox -D's.
     */
    @Test
    void cellsHoldForSoxWithTheirSlack() throws Exception {
        require(SOX);
        long[] outsideLadder = new long[2];
        for (int channels = 1; channels <= 2; channels++) {
            for (int seed = 0; seed < 6; seed++) {
                int[] clean = ImaSignals.s16(ImaSignals.mixed(8000, channels, seed));
                byte[] pcm = pcmWav(clean, channels);
                byte[] plain = run(pcm, SOX.toString(), "-q", "-D", "-t", "wav", "-", "-e", "ima-adpcm", "-t", "wav",
                        "-");
                byte[] dithered = run(pcm, SOX.toString(), "-q", "-t", "wav", "-", "-e", "ima-adpcm", "-t", "wav", "-");
                String what = channels + " channels, seed " + seed;
                assertInCells(plain, clean, ImaDialect.SOX, ImaCells.Slack.SOX, "sox -D, " + what);
                assertInCells(dithered, clean, ImaDialect.SOX, ImaCells.Slack.SOX_DITHER, "sox, " + what);
                outsideLadder[0] += outside(plain, clean, ImaDialect.REFERENCE, ImaCells.Slack.NONE);
                outsideLadder[1] += outside(dithered, clean, ImaDialect.REFERENCE, ImaCells.Slack.NONE);
            }
        }
        assertTrue(outsideLadder[0] > 0, "sox -D never left the ladder's cells: the test shows nothing");
        assertTrue(outsideLadder[1] > outsideLadder[0], "dithered sox should leave them more often");
    }

    /**
     * ffmpeg's files: pdq decodes them as sox does (the reference decoder; ffmpeg's own decoder differs), the clean
     * samples of speech-like signals at 0 and -20 dBFS lie in the cells widened by {@link ImaCells.Slack#FFMPEG}
     * (measured on the dev corpora: no bound holds in general), and not without slack.
     */
    @Test
    void ffmpegsFilesDecodeAsSoxDecodesThemAndTheirCellsHoldWithItsSlack() throws Exception {
        require(SOX);
        require(FFMPEG);
        long outsideLadder = 0;
        for (int channels = 1; channels <= 2; channels++) {
            for (double gain : new double[] {1.0, 0.1}) {
                // channel 0 speech-like, channel 1 the same at -30
                int[] clean = scaledS16(ImaSignals.mixed(20000, channels, 0), gain);
                Path out = ffmpegIma(clean, channels);
                byte[] wav = Files.readAllBytes(out);
                String what = "ffmpeg, " + channels + " channels, gain " + gain;
                ImaSignals.Cells ours = ImaWavReaderTest.read(wav);
                int[] sox = s16(run(null, SOX.toString(), "-q", out.toString(), "-t", "s16", "-"));
                assertNull(ours.fault(), what);
                assertTrue(ours.x().length >= clean.length, what + ": ffmpeg's fact counts the padding too");
                assertArrayEquals(Arrays.copyOf(sox, ours.x().length), ours.x(), what);
                ImaSignals.Cells cells = ImaSignals.readAll(
                        ImaWavReader.open(new java.io.ByteArrayInputStream(wav), ImaCells.Slack.FFMPEG), 999);
                for (int i = 0; i < clean.length; i++) {
                    int at = i;
                    assertTrue(cells.lo()[i] <= clean[i] && clean[i] <= cells.hi()[i], () -> what + ": sample " + at);
                    if (clean[i] < ours.lo()[i] || clean[i] > ours.hi()[i]) {
                        outsideLadder++;
                    }
                }
            }
        }
        assertTrue(outsideLadder > 0, "ffmpeg never left the ladder's cells: the test shows nothing");
    }

    /**
     * In {@link ImaDialect#FFMPEG}, ffmpeg's files decode to exactly ffmpeg's output and every clean sample lies in
     * its cell without slack, at 0 and -20 dBFS, 1 and 2 channels.
     */
    @Test
    void ffmpegsFilesInFfmpegsDialectAreExact() throws Exception {
        require(FFMPEG);
        for (int channels = 1; channels <= 2; channels++) {
            for (double gain : new double[] {1.0, 0.1}) {
                for (int seed = 0; seed < 6; seed += 2) {
                    int[] clean = scaledS16(ImaSignals.mixed(12000, channels, seed), gain);
                    Path out = ffmpegIma(clean, channels);
                    byte[] wav = Files.readAllBytes(out);
                    String what = channels + " channels, gain " + gain + ", seed " + seed;
                    int[] ff = s16(run(null, FFMPEG.toString(), "-loglevel", "error", "-i", out.toString(), "-f",
                            "s16le", "-"));
                    dev.pdq.audio.WavHeader h = dev.pdq.audio.WavHeader.read(new java.io.ByteArrayInputStream(wav),
                            true);
                    java.io.ByteArrayInputStream body = new java.io.ByteArrayInputStream(wav);
                    body.skip(h.dataOffset());
                    ImaSignals.Cells c = ImaSignals.readAll(
                            ImaWavReader.open(body, h, ImaDialect.FFMPEG, ImaCells.Slack.NONE), 777);
                    assertNull(c.fault(), what);
                    assertEquals(ff.length, c.x().length, what + ": ffmpeg's fact counts its whole blocks");
                    assertArrayEquals(ff, c.x(), what);
                    for (int i = 0; i < clean.length; i++) {
                        int at = i;
                        assertTrue(c.lo()[i] <= clean[i] && clean[i] <= c.hi()[i], () -> what + ": sample " + at
                                + " = " + clean[at] + " outside [" + c.lo()[at] + ", " + c.hi()[at] + "]");
                    }
                }
            }
        }
    }

    /**
     * ffmpeg decodes pdq's files with its own decoder, dq = ((2m + 1) step) >> 3 instead of the reference's sum of
     * shifted steps: computed here from the codes, it is what ffmpeg outputs, bit for bit (the whole blocks).
     */
    @Test
    void ffmpegDecodesPdqsFilesWithItsOwnArithmetic() throws Exception {
        require(FFMPEG);
        for (int channels = 1; channels <= 2; channels++) {
            float[] v = ImaSignals.mixed(3000, channels, 4);
            byte[] wav = ImaSignals.sized(ImaSignals.write(v, channels, ImaAdpcm.soxBlockAlign(channels)), channels,
                    ImaAdpcm.soxBlockAlign(channels), 3000);
            Path f = dir.resolve("pdq.wav");
            Files.write(f, wav);
            int[] ff = s16(run(null, FFMPEG.toString(), "-loglevel", "error", "-i", f.toString(), "-f", "s16le", "-"));
            int[] expected = multiplyDecode(wav, channels);
            assertArrayEquals(expected, Arrays.copyOf(ff, expected.length), channels + " channels");
            dev.pdq.audio.WavHeader h = dev.pdq.audio.WavHeader.read(new java.io.ByteArrayInputStream(wav), true);
            java.io.ByteArrayInputStream body = new java.io.ByteArrayInputStream(wav);
            body.skip(h.dataOffset());
            assertArrayEquals(expected, ImaSignals.readAll(ImaWavReader.open(body, h, ImaDialect.FFMPEG,
                    ImaCells.Slack.NONE), 100).x(), "pdq's ffmpeg dialect");
            assertTrue(!Arrays.equals(expected, Arrays.copyOf(ImaWavReaderTest.read(wav).x(), expected.length)),
                    "ffmpeg's arithmetic agreed with the reference decoder's on every sample");
        }
    }

    /** ffmpeg's IMA WAV decoding of the fact-count frames of a file with blocks of 256 C bytes. */
    static int[] multiplyDecode(byte[] wav, int channels) {
        int ba = 256 * channels;
        int frames = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).getInt(48);
        int[] out = new int[frames * channels];
        for (int b = 0; b * 505 < frames; b++) {
            int at = 60 + b * ba;
            for (int c = 0; c < channels; c++) {
                int p = (short) ((wav[at + 4 * c] & 0xff) | (wav[at + 4 * c + 1] & 0xff) << 8);
                int idx = wav[at + 4 * c + 2] & 0xff;
                for (int f = 0; f < 505 && b * 505 + f < frames; f++) {
                    if (f > 0) {
                        int k = f - 1;
                        int byt = wav[at + 4 * channels * (1 + k / 8) + 4 * c + (k % 8) / 2] & 0xff;
                        int code = k % 2 == 0 ? byt & 15 : byt >> 4;
                        int step = ImaReference.STEPS[idx];
                        int diff = ((2 * (code & 7) + 1) * step) >> 3;
                        p = Math.max(-32768, Math.min(32767, code >= 8 ? p - diff : p + diff));
                        idx = Math.max(0, Math.min(88, idx + ImaReference.INDEX[code]));
                    }
                    out[(b * 505 + f) * channels + c] = p;
                }
            }
        }
        return out;
    }

    static void assertInCells(byte[] wav, int[] clean, ImaDialect dialect, ImaCells.Slack slack, String what)
            throws IOException {
        long n = outside(wav, clean, dialect, slack);
        assertEquals(0, n, what + ": samples outside their " + dialect + " cells with slack " + slack);
    }

    static long outside(byte[] wav, int[] clean, ImaDialect dialect, ImaCells.Slack slack) throws IOException {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(wav);
        ImaSignals.Cells c = ImaSignals.readAll(ImaWavReader.open(in, WavHeader.read(in, true), dialect, slack), 999);
        assertNull(c.fault());
        assertEquals(clean.length, c.x().length);
        long n = 0;
        for (int i = 0; i < clean.length; i++) {
            if (clean[i] < c.lo()[i] || clean[i] > c.hi()[i]) {
                n++;
            }
        }
        return n;
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

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
     * The clean samples lie in their cells widened by the slack of the encoder: sox -D in {@link
     * ImaCells.Slack#SOX}, sox with its default dither in {@link ImaCells.Slack#SOX_DITHER}; and without slack
     * both have samples outside (so the check can fail).
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
                assertInCells(plain, clean, ImaCells.Slack.SOX, "sox -D, " + what);
                assertInCells(dithered, clean, ImaCells.Slack.SOX_DITHER, "sox, " + what);
                outsideLadder[0] += outside(plain, clean, ImaCells.Slack.NONE);
                outsideLadder[1] += outside(dithered, clean, ImaCells.Slack.NONE);
            }
        }
        assertTrue(outsideLadder[0] > 0, "sox -D never left the ladder's cells: the test shows nothing");
        assertTrue(outsideLadder[1] > outsideLadder[0], "dithered sox should leave them more often");
    }

    static void assertInCells(byte[] wav, int[] clean, ImaCells.Slack slack, String what) throws IOException {
        long n = outside(wav, clean, slack);
        assertEquals(0, n, what + ": samples outside their cells with slack " + slack);
    }

    static long outside(byte[] wav, int[] clean, ImaCells.Slack slack) throws IOException {
        ImaSignals.Cells c = ImaSignals.readAll(ImaWavReader.open(new java.io.ByteArrayInputStream(wav), slack), 999);
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

package dev.pdq.adpcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.PcmWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pdq's IMA ADPCM writer, reader and node quantizer against each other and the test's second decoder. */
class ImaRoundTripTest {

    @TempDir
    Path dir;

    /**
     * Every length from 0 to 3 blocks and one, 1 to 3 channels: the sized file gives exactly the frames written,
     * the pipe file whole blocks (the padding too); values and cells are the second decoder's; every 16-bit input
     * sample lies in its cell (the ladder's, no slack).
     */
    @Test
    void everyLengthUpToThreeBlocksAndEveryChannelCount() throws IOException {
        for (int channels = 1; channels <= 3; channels++) {
            int blockAlign = ImaAdpcm.soxBlockAlign(channels);
            int spb = ImaAdpcm.samplesPerBlock(blockAlign, channels);
            assertEquals(505, spb);
            float[] all = ImaSignals.mixed(3 * spb + 1, channels, channels);
            for (int frames = 0; frames <= 3 * spb + 1; frames++) {
                float[] v = Arrays.copyOf(all, frames * channels);
                byte[] pipe = ImaSignals.write(v, channels, blockAlign);
                int blocks = (frames + spb - 1) / spb;
                assertEquals(60 + blocks * blockAlign, pipe.length, frames + " frames");
                String what = frames + " frames of " + channels + " channels";
                check(ImaSignals.sized(pipe, channels, blockAlign, frames), v, channels, frames, what);
                if (frames % 97 == 0 || frames % spb <= 1) { // the pipe form: whole blocks
                    check(pipe, v, channels, blocks * spb, what + ", pipe header");
                }
            }
        }
    }

    private static void check(byte[] wav, float[] v, int channels, int expectFrames, String what) throws IOException {
        ImaReference.Expected ref = ImaReference.decode(wav, ImaCells.Slack.NONE);
        assertNull(ref.headerFault(), what);
        assertNull(ref.faultKind(), what);
        ImaWavReader r = ImaWavReader.open(new ByteArrayInputStream(wav), ImaCells.Slack.NONE);
        ImaSignals.Cells got = ImaSignals.readAll(r, channels * (1 + expectFrames % 7) + 3 * channels);
        assertNull(got.fault(), what);
        assertEquals(expectFrames * channels, got.x().length, what);
        assertEquals(expectFrames, r.framesDelivered(), what);
        assertArrayEquals(ref.x(), got.x(), what);
        assertArrayEquals(ref.lo(), got.lo(), what);
        assertArrayEquals(ref.hi(), got.hi(), what);
        int[] s = ImaSignals.s16(v);
        for (int i = 0; i < Math.min(s.length, got.x().length); i++) {
            int at = i;
            assertTrue(got.lo()[i] <= s[i] && s[i] <= got.hi()[i], () -> what + ": sample " + at + " = " + s[at]
                    + " outside [" + got.lo()[at] + ", " + got.hi()[at] + "]");
        }
    }

    /** The node quantizer gives what the writer and reader give, sample for sample, for any length. */
    @Test
    void theNodeQuantizerIsTheWavPath() throws IOException {
        ImaNodeQuantizer q = new ImaNodeQuantizer();
        assertEquals(0, q.segmentLength(), "the step index runs through the whole signal");
        assertEquals(505, q.samplesPerBlock());
        for (int frames : new int[] {0, 1, 2, 9, 504, 505, 506, 1010, 1600, 5000}) {
            float[] v = ImaSignals.mixed(frames, 1, 7);
            float[] x = new float[frames + 4];
            float[] below = new float[frames + 4];
            float[] above = new float[frames + 4];
            q.quantize(v, 0, frames, x, below, above, 4);
            byte[] wav = ImaSignals.sized(ImaSignals.write(v, 1, 256), 1, 256, frames);
            ImaWavReader r = ImaWavReader.open(new ByteArrayInputStream(wav), ImaCells.Slack.NONE);
            float[] rx = new float[frames + 1];
            float[] rb = new float[frames + 1];
            float[] ra = new float[frames + 1];
            int n = 0;
            int k;
            while ((k = r.readCells(rx, rb, ra, n, rx.length - n)) > 0) {
                n += k;
            }
            assertEquals(frames, n);
            assertArrayEquals(Arrays.copyOf(rx, n), Arrays.copyOfRange(x, 4, 4 + frames), frames + " frames");
            assertArrayEquals(Arrays.copyOf(rb, n), Arrays.copyOfRange(below, 4, 4 + frames), frames + " frames");
            assertArrayEquals(Arrays.copyOf(ra, n), Arrays.copyOfRange(above, 4, 4 + frames), frames + " frames");
            for (int i = 0; i < frames; i++) {
                float s = PcmWriter.toS16(v[i]) / 32768f;
                assertTrue(x[4 + i] + below[4 + i] <= s && s <= x[4 + i] + above[4 + i], "sample " + i);
            }
        }
    }

    @Test
    void otherBlockAlignsRoundTrip() throws IOException {
        for (int blockAlign : new int[] {4, 8, 36, 1024, 2048}) {
            int spb = ImaAdpcm.samplesPerBlock(blockAlign, 1);
            float[] v = ImaSignals.mixed(2 * spb + 3, 1, 3);
            byte[] wav = ImaSignals.sized(ImaSignals.write(v, 1, blockAlign), 1, blockAlign, v.length);
            check(wav, v, 1, v.length, "block align " + blockAlign);
        }
    }

    /** A regular file: the pipe header patched in place to the frames written; the reader drops the padding. */
    @Test
    void patchSizesFixesARegularFile() throws IOException {
        float[] v = ImaSignals.mixed(617, 2, 5);
        Path file = dir.resolve("a.wav");
        try (var out = Files.newOutputStream(file); ImaWavWriter w = ImaWavWriter.open(out, 2, 16000)) {
            w.write(v, 0, v.length);
            assertEquals(617, w.framesWritten());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(ImaWavWriter.patchSizes(ch, 617));
            assertTrue(!ImaWavWriter.patchSizes(ch, 617), "a patched header is no longer the pipe header");
        }
        byte[] wav = Files.readAllBytes(file);
        assertArrayEquals(ImaSignals.sized(wav, 2, 512, 617), wav);
        check(wav, v, 2, 617, "patched");
    }
}

package dev.pdq.adpcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.WavHeader;
import dev.pdq.testing.Fuzzing;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of the IMA ADPCM WAV reader (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/adpcm/ImaWavFuzzTestInputs/ima/, seeds from GenerateFuzzSeeds). Input: one byte that
 * shapes the stream (its low 5 bits: bytes per pipe read, values asked per call; bits 5 and 6: the dialect,
 * reference, sox, ffmpeg, reference; bit 7: the slack, none or sox's with dither), then the WAV file.
 *
 * <p>Failure: an exception other than {@link AudioFormatException}; a hang; more allocation than the reader's block
 * buffer (blockAlign bytes, at most 64 KiB) and per-channel state plus the slack; values or cells that differ in
 * any bit from the second decoder ({@link ImaReference}: the block headers read, nibbles unpacked and cells found
 * by bisection, independently of the main code); a header accepted or refused otherwise than WavHeader decides; a
 * fault of another kind or at another offset than the bytes call for; a fault that is not sticky.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class ImaWavFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void ima(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        int shape = input[0] & 0x1f;
        ImaCells.Slack slack = (input[0] & 0x80) != 0 ? ImaCells.Slack.SOX_DITHER : ImaCells.Slack.NONE;
        ImaDialect dialect = ImaDialect.values()[((input[0] >> 5) & 3) % ImaDialect.values().length];
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        ImaReference.Expected expected = ImaReference.decode(file, dialect, slack);
        int capacity = 4 * file.length + 64; // at most 2 samples a byte of a channel, plus a header sample
        float[] x = new float[capacity];
        float[] below = new float[capacity];
        float[] above = new float[capacity];

        decode(input, shape, dialect, slack, x, below, above); // load and initialize every class on the way
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        Decoded d = decode(input, shape, dialect, slack, x, below, above);
        long blockBuffer = d.reader == null ? 0 : d.reader.blockAlign() + 8L * d.reader.channels() + 1024;
        guard.assertAtMost(Fuzzing.ALLOCATION_SLACK + blockBuffer, "reading an IMA ADPCM WAV of " + file.length + " bytes");

        if (expected.headerFault() != null) {
            assertNull(d.reader, "a header the WAV header reader refuses was accepted");
            assertNotNull(d.fault);
            return;
        }
        assertNotNull(d.reader, () -> "the header was refused: " + d.fault);
        assertEquals(expected.channels(), d.reader.channels());
        assertEquals(expected.x().length, d.count, "values delivered");
        for (int i = 0; i < d.count; i++) {
            int at = i;
            assertEquals(expected.x()[i], x[i] * 32768f, () -> "value " + at);
            assertEquals(expected.lo()[i] - expected.x()[i], below[i] * 32768f, () -> "cell below value " + at);
            assertEquals(expected.hi()[i] - expected.x()[i], above[i] * 32768f, () -> "cell above value " + at);
        }
        assertEquals(d.count / d.reader.channels(), d.reader.framesDelivered());
        ImaWavReader r = d.reader;
        if (expected.faultKind() == null) {
            assertNull(d.fault, "a fault where the data is clean");
            assertEquals(-1, r.readCells(x, below, above, 0, r.channels()), "the end is sticky");
        } else {
            assertNotNull(d.fault, () -> "no " + expected.faultKind() + " reported");
            assertEquals(expected.faultKind(), d.fault.kind(), d.fault::getMessage);
            assertEquals(expected.faultOffset(), d.fault.offset(), d.fault::getMessage);
            assertTrue(d.fault.getMessage().contains("block "), d.fault::getMessage);
            AudioFormatException first = d.fault;
            assertSame(first, assertThrows(AudioFormatException.class, () -> r.read(x, 0, r.channels())),
                    "faults are sticky");
        }
    }

    record Decoded(ImaWavReader reader, int count, AudioFormatException fault) {
    }

    /** Reads the input trickled as a pipe delivers it, cells and values, in calls shaped by {@code shape}. */
    private static Decoded decode(byte[] input, int shape, ImaDialect dialect, ImaCells.Slack slack, float[] x,
                                  float[] below, float[] above) throws IOException {
        ImaWavReader reader = null;
        int count = 0;
        try {
            java.io.InputStream in = Fuzzing.trickle(input, 1, 1 + 16 * shape);
            WavHeader h = WavHeader.read(in, true);
            if (h.ima() == null) {
                throw new AudioFormatException(AudioFormatException.Kind.UNSUPPORTED_FORMAT, -1, "PCM");
            }
            reader = ImaWavReader.open(in, h, dialect, slack);
            int len = reader.channels() * (1 + shape % 11);
            int n;
            while ((n = reader.readCells(x, below, above, count, Math.min(len, x.length - count))) > 0) {
                assertEquals(0, n % reader.channels(), "a read split a sample frame");
                count += n;
            }
        } catch (AudioFormatException e) {
            return new Decoded(reader, count, e);
        }
        return new Decoded(reader, count, null);
    }
}

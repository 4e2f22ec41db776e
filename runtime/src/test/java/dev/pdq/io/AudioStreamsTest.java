package dev.pdq.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.codes.CodeStreamReader;
import dev.pdq.codes.CodeStreamWriter;
import dev.pdq.quant.Quantizer;
import dev.pdq.testing.Bytes;
import dev.pdq.testing.Drain;
import dev.pdq.testing.ScriptedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AudioStreamsTest {

    static final float[] VALUES = {0.5f, -0.25f, 0.125f, -1f, 0f, 0.75f};

    static byte[] write(OutputFormat format, int channels, float[] v) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SampleWriter w = AudioStreams.openOutput(out, format, channels, 16000)) {
            w.write(v, 0, v.length);
        }
        return out.toByteArray();
    }

    static SampleReader open(byte[] b, InputFormat f, int rawChannels) throws IOException {
        return AudioStreams.openInput(new ByteArrayInputStream(b), f, rawChannels, 16000);
    }

    /** Every output format is read back by auto-detection or, for raw f32le, by naming it. */
    @ParameterizedTest
    @EnumSource(OutputFormat.class)
    void everyOutputFormatReadsBack(OutputFormat format) throws IOException {
        for (int channels : new int[] {1, 2, 3}) {
            byte[] b = write(format, channels, VALUES);
            InputFormat in = format == OutputFormat.F32LE ? InputFormat.F32LE : InputFormat.AUTO;
            SampleReader r = open(b, in, channels);
            assertEquals(channels, r.channels());
            Drain.Result d = Drain.readAll(r, 64);
            assertNull(d.fault());
            assertArrayEquals(VALUES, d.values(), format + ", " + channels + " channels");
            if (format.isWav()) {
                assertTrue(r.description().startsWith("WAV"), r.description());
                assertEquals(16000, r.sampleRate());
            }
        }
    }

    @Test
    void detectsCodeStreams() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CodeStreamWriter w = new CodeStreamWriter(out, 4, 2, 8000, 320)) {
            w.write(VALUES, 0, VALUES.length);
        }
        SampleReader r = open(out.toByteArray(), InputFormat.AUTO, 1);
        assertTrue(r instanceof CodeStreamReader);
        assertEquals(4, r.bits());
        assertEquals(2, r.channels());
        assertEquals(8000, r.sampleRate());
        Quantizer q = new Quantizer(4);
        float[] expected = new float[VALUES.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = q.quantize(VALUES[i]);
        }
        assertArrayEquals(expected, Drain.readAll(r, 64).values());
    }

    @Test
    void detection() {
        assertEquals(InputFormat.WAV, AudioStreams.detect(Bytes.hex("52494646"), 4));
        assertEquals(InputFormat.WAV, AudioStreams.detect(Bytes.hex("52494658"), 4));
        assertEquals(InputFormat.WAV, AudioStreams.detect(Bytes.hex("52463634"), 4));
        assertEquals(InputFormat.CODES, AudioStreams.detect(Bytes.hex("50445143"), 4));
        assertEquals(InputFormat.S16LE, AudioStreams.detect(Bytes.hex("524946"), 3));
        assertEquals(InputFormat.S16LE, AudioStreams.detect(Bytes.hex("00000000"), 4));
        assertEquals(InputFormat.S16LE, AudioStreams.detect(new byte[4], 0));
    }

    @Test
    void shortRawStreamsAreDetectedAsRawWithExactLengths() throws IOException {
        for (int n = 0; n < 12; n++) {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 1);
            Drain.Result d = Drain.readAll(open(b, InputFormat.AUTO, 1), 5);
            assertEquals(n / 2, d.values().length, n + " bytes");
            if (n % 2 == 1) {
                AudioFormatException e = (AudioFormatException) d.fault();
                assertEquals(AudioFormatException.Kind.ODD_LENGTH, e.kind());
                assertEquals(n - 1, e.offset());
            } else {
                assertNull(d.fault());
            }
        }
    }

    @Test
    void detectionBytesAreDeliveredWithoutWaitingForMore() throws IOException {
        // 4 bytes arrived (2 samples), then the pipe would block: both samples come out
        byte[] four = Bytes.s16le(new short[] {1000, -1000});
        SampleReader r = AudioStreams.openInput(new ScriptedInputStream(ScriptedInputStream.After.BLOCK, four),
                InputFormat.AUTO, 1, 0);
        float[] dst = new float[320];
        assertEquals(2, r.read(dst, 0, 320));
        assertEquals(-1000 / 32768f, dst[1]);
        assertEquals(0, r.available());
    }

    @Test
    void riffVariantsAreRefusedClearly() {
        byte[] rifx = Bytes.concat(Bytes.hex("52494658"), new byte[40]);
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> open(rifx, InputFormat.AUTO, 1));
        assertEquals(AudioFormatException.Kind.UNSUPPORTED_FORMAT, e.kind());
    }

    @Test
    void namedFormatsOverrideDetection() throws IOException {
        byte[] riffAsRaw = Bytes.hex("52494646");
        Drain.Result d = Drain.readAll(open(riffAsRaw, InputFormat.S16LE, 1), 8);
        assertEquals(2, d.values().length);
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> open(new byte[44], InputFormat.WAV, 1));
        assertEquals(AudioFormatException.Kind.MALFORMED_HEADER, e.kind());
        AudioFormatException c = assertThrows(AudioFormatException.class,
                () -> open(new byte[44], InputFormat.CODES, 1));
        assertEquals(AudioFormatException.Kind.MALFORMED_HEADER, c.kind());
    }

    @Test
    void formatNames() {
        for (InputFormat f : InputFormat.values()) {
            assertEquals(f, InputFormat.parse(f.cliName()));
        }
        for (OutputFormat f : OutputFormat.values()) {
            assertEquals(f, OutputFormat.parse(f.cliName()));
        }
        assertEquals("wav-f32", OutputFormat.WAV_F32.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("mp3"));
        assertTrue(e.getMessage().contains("auto, s16le, f32le, wav, codes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse("WAV"));
    }

    /**
     * A real OS pipe from a process that writes part of a stream and then stays silent: every format delivers
     * what has arrived while the writer is still alive (the read would hang for 30 s if it waited for more).
     */
    @Test
    void realPipeDeliversWhatArrivedWhileTheWriterIsStillAlive(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.pdq.blas.TestJvm.assumeHostToolsRunHere("AudioStreamsTest (sh)");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/sh")));
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        SampleWriter ww = AudioStreams.openOutput(wav, OutputFormat.WAV, 1, 16000);
        ww.write(VALUES, 0, 3);
        ww.flush();
        ByteArrayOutputStream codes = new ByteArrayOutputStream();
        CodeStreamWriter cw = new CodeStreamWriter(codes, 8, 1, 16000, 320);
        cw.write(VALUES, 0, 3);
        cw.flush();
        byte[][] partial = {Bytes.s16le(new short[] {16384, -8192, 4096}), wav.toByteArray(), codes.toByteArray()};
        for (byte[] bytes : partial) {
            java.nio.file.Path f = dir.resolve("partial");
            java.nio.file.Files.write(f, bytes);
            Process p = new ProcessBuilder("/bin/sh", "-c", "cat '" + f + "'; exec sleep 30").start();
            try {
                SampleReader r = AudioStreams.openInput(p.getInputStream(), InputFormat.AUTO, 1, 16000);
                float[] dst = new float[320];
                int got = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                        () -> {
                            int n = 0;
                            while (n < 3) {
                                n += r.read(dst, n, 320 - n);
                            }
                            return n;
                        });
                assertEquals(3, got, r.description());
                float tolerance = r.bits() > 0 ? 1f / 256 : 0f;
                for (int i = 0; i < 3; i++) {
                    assertEquals(VALUES[i], dst[i], tolerance, r.description());
                }
            } finally {
                p.destroyForcibly().waitFor();
            }
        }
    }
}

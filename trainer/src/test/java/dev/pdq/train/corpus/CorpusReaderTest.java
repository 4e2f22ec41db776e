package dev.pdq.train.corpus;

import dev.pdq.audio.SampleEncoding;
import dev.pdq.train.testing.Wavs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusReaderTest {
    private static final int RATE = 16000;

    @TempDir
    Path dir;

    @Test
    void readsGoodFilesAndSkipsBadOnesNamingThem() throws IOException {
        float[] mono = Wavs.smooth(1, 1000, RATE, 400, 0.5);
        Wavs.write(dir.resolve("a_mono16.wav"), SampleEncoding.S16LE, 1, RATE, mono);
        float[] stereo = new float[2 * 700];
        for (int t = 0; t < 700; t++) {
            stereo[2 * t] = 0.25f * (float) Math.sin(t * 0.01);
            stereo[2 * t + 1] = -0.5f * (float) Math.cos(t * 0.02);
        }
        Wavs.write(dir.resolve("b_stereo_float.wav"), SampleEncoding.F32LE, 2, RATE, stereo);
        Wavs.write(dir.resolve("c_rate.wav"), SampleEncoding.S16LE, 1, 8000, mono);
        Files.writeString(dir.resolve("d_notes.txt"), "not audio at all, but long enough to be looked at", StandardCharsets.UTF_8);
        Files.write(dir.resolve("e_empty.wav"), new byte[0]);
        byte[] full = Wavs.bytes(SampleEncoding.S16LE, 1, RATE, mono);
        Files.write(dir.resolve("f_truncated.wav"), Arrays.copyOf(full, full.length - 100));
        byte[] nan = Wavs.bytes(SampleEncoding.F32LE, 1, RATE, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 8, Float.NaN);
        Files.write(dir.resolve("g_nan.wav"), nan);
        Wavs.write(dir.resolve("h_silent.wav"), SampleEncoding.S16LE, 1, RATE, new float[500]);
        Wavs.write(dir.resolve("i_nosamples.wav"), SampleEncoding.S16LE, 1, RATE, new float[0]);
        Files.write(dir.resolve(".hidden.wav"), full);

        Corpus c = CorpusReader.readFolders(List.of(dir), RATE, "test");

        assertEquals(List.of(dir.resolve("a_mono16.wav"), dir.resolve("b_stereo_float.wav")), c.files());
        assertEquals(3, c.utterances().size(), "one mono utterance and one per stereo channel");
        assertArrayEquals(mono, c.utterances().get(0).samples(), "16-bit samples decode exactly");
        assertEquals(0.25f * (float) Math.sin(5 * 0.01), c.utterances().get(1).samples()[5]);
        assertEquals(-0.5f * (float) Math.cos(5 * 0.02), c.utterances().get(2).samples()[5]);
        assertEquals("b_stereo_float.wav#1", c.utterances().get(2).name());
        Map<String, String> skipped = c.skipped().stream().collect(Collectors.toMap(
                s -> s.file().getFileName().toString(), Corpus.Skipped::reason));
        assertEquals(List.of("c_rate.wav", "d_notes.txt", "e_empty.wav", "f_truncated.wav", "g_nan.wav",
                "h_silent.wav", "i_nosamples.wav"), skipped.keySet().stream().sorted().collect(Collectors.toList()));
        assertTrue(skipped.get("c_rate.wav").contains("8000"), skipped.get("c_rate.wav"));
        assertTrue(skipped.get("e_empty.wav").contains("empty"), skipped.get("e_empty.wav"));
        assertTrue(skipped.get("f_truncated.wav").contains("truncated"), skipped.get("f_truncated.wav"));
        assertTrue(skipped.get("g_nan.wav").toLowerCase().contains("nan")
                || skipped.get("g_nan.wav").toLowerCase().contains("finite"), skipped.get("g_nan.wav"));
        assertTrue(skipped.get("h_silent.wav").contains("silent"), skipped.get("h_silent.wav"));
        assertTrue(skipped.get("i_nosamples.wav").contains("no samples"), skipped.get("i_nosamples.wav"));
        assertEquals(1000 / 320 + 2 * (700 / 320), c.frames(320), "whole frames only, per utterance");
    }

    @Test
    void emptyCorpusIsAnError() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "nothing here");
        CorpusException e = assertThrows(CorpusException.class,
                () -> CorpusReader.readFolders(List.of(dir), RATE, "training"));
        assertTrue(e.getMessage().contains("no usable training audio"), e.getMessage());
        Path none = dir.resolve("empty");
        Files.createDirectory(none);
        assertThrows(CorpusException.class, () -> CorpusReader.readFolders(List.of(none), RATE, "training"));
    }

    @Test
    void missingFolderIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.listFiles(List.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}

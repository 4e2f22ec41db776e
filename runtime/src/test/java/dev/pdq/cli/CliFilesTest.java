package dev.pdq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many files in one process: --output-dir DIR FILE... for quantize and dequantize. */
class CliFilesTest {
    private static final String[] ENGINE = {"--model", "dct", "-L", "5", "--backend", "java", "--shifts", "1"};

    @TempDir
    Path dir;

    static float[] speech(long seed, int samples) {
        return Arrays.copyOf(dev.pdq.demo.SpeechSynth.generate(0.5, Cli.RATE, seed), samples);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void everyGoodFileIsConvertedAndABadOneReportedWithItsName() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        float[][] clips = {speech(1, 2000), speech(2, 3333), speech(3, 700)};
        for (int i = 0; i < clips.length; i++) {
            Files.write(in.resolve("clip" + i + ".wav"), Cli.encode("wav", clips[i], 1));
        }
        Path codes = dir.resolve("codes");
        Cli.Result q = Cli.inProcess(new QuantizeCommand(), "--output-dir", codes.toString(),
                in.resolve("clip0.wav").toString(), in.resolve("clip1.wav").toString(),
                in.resolve("clip2.wav").toString());
        assertEquals(ExitCodes.OK, q.exitCode(), q::toString);
        for (int i = 0; i < clips.length; i++) {
            byte[] viaStdin = Cli.quantize(Cli.encode("wav", clips[i], 1)).stdout();
            assertArrayEquals(viaStdin, Files.readAllBytes(codes.resolve("clip" + i + ".pdqc")), "clip " + i);
        }
        // a truncated code stream between two good ones, and a file that is not there
        byte[] whole = Files.readAllBytes(codes.resolve("clip1.pdqc"));
        Files.write(codes.resolve("cut.pdqc"), Arrays.copyOf(whole, 200));
        Path outDir = dir.resolve("out");
        Cli.Result d = Cli.inProcess(new DequantizeCommand(), concat(concat(new String[] {"--output-dir",
                outDir.toString()}, ENGINE), codes.resolve("clip0.pdqc").toString(),
                codes.resolve("cut.pdqc").toString(), codes.resolve("missing.pdqc").toString(),
                codes.resolve("clip2.pdqc").toString()));
        assertEquals(ExitCodes.FAILURE, d.exitCode(), d::toString);
        List<String> errors = d.errorLines();
        assertTrue(errors.stream().anyMatch(l -> l.contains("cut.pdqc") && l.contains("byte offset")), d::toString);
        assertTrue(errors.stream().anyMatch(l -> l.contains("missing.pdqc") && l.contains("no such file")),
                d::toString);
        assertTrue(errors.stream().anyMatch(l -> l.contains("2 of 4 files failed")), d::toString);
        for (String name : new String[] {"clip0", "clip2"}) {
            byte[] viaStdin = Cli.dequantize(Files.readAllBytes(codes.resolve(name + ".pdqc")),
                    concat(ENGINE, "--output-format", "wav")).stdout();
            byte[] file = Files.readAllBytes(outDir.resolve(name + ".wav"));
            assertArrayEquals(Cli.fromWav(viaStdin, 1), Cli.fromWav(file, 1), name);
        }
        // the samples before the fault are kept: whole blocks of 320 before the cut
        float[] partial = Cli.fromWav(Files.readAllBytes(outDir.resolve("cut.wav")), 1);
        assertTrue(partial.length > 0 && partial.length % 320 == 0, partial.length + " samples");
        try (Stream<Path> left = Files.list(outDir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void filesWithoutAFolderOrAFolderWithoutFilesIsAUsageError() {
        Cli.Result a = Cli.inProcess(new DequantizeCommand(), "some.pdqc");
        assertEquals(ExitCodes.USAGE, a.exitCode(), a::toString);
        Cli.Result b = Cli.inProcess(new QuantizeCommand(), "--output-dir", dir.toString());
        assertEquals(ExitCodes.USAGE, b.exitCode(), b::toString);
    }
}

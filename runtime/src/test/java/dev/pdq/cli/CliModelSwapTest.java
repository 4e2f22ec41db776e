package dev.pdq.cli;

import dev.pdq.operator.Dct;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model file of a running {@code pdq dequantize --model FILE} is replaced mid-stream, by a rename over it (how
 * every pdq tool writes a model) or by overwriting its bytes in place, with another valid model or with garbage:
 * the stream goes on with the model it started with, exactly (issue 8, faults).
 */
class CliModelSwapTest {
    static final int N = 320;
    static final int FRAMES_BEFORE = 4;
    static final int FRAMES_AFTER = 6;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rename", "overwrite", "overwrite-garbage", "delete"})
    void replacingTheModelFileDoesNotAffectARunningStream(String how) throws Exception {
        Path model = dir.resolve("model.pdqk");
        Operator original = perturbedDct(1);
        Operator other = perturbedDct(2);
        ModelFile.write(original, model);
        Path otherFile = dir.resolve("other.pdqk");
        ModelFile.write(other, otherFile);

        float[] x = GenerateCliGoldenVectors.quantized(Arrays.copyOf(
                dev.pdq.demo.SpeechSynth.generate(0.25, Cli.RATE, 8), (FRAMES_BEFORE + FRAMES_AFTER) * N), 4);
        byte[] input = Cli.s16le(x);
        int split = 2 * FRAMES_BEFORE * N;
        String[] args = {"dequantize", "--model", model.toString(), "--batch", "1", "--shifts", "1", "--iterations",
                "8", "--backend", "java", "--input-format", "s16le"};

        Process p = Cli.process(args).start();
        Cli.Pump out = Cli.Pump.start(p.getInputStream());
        Cli.Pump err = Cli.Pump.start(p.getErrorStream());
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(input, 0, split);
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CliProcessTest.PATIENCE_SECONDS);
            while (out.size() < split && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(20);
            }
            assertEquals(split, out.size(), "the first frames did not come out before the model was replaced");
            switch (how) {
                case "rename" -> Files.move(otherFile, model, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                case "overwrite" -> Files.write(model, ModelFile.toBytes(other), StandardOpenOption.TRUNCATE_EXISTING);
                case "overwrite-garbage" -> Files.write(model, "not a model".getBytes(StandardCharsets.US_ASCII),
                        StandardOpenOption.TRUNCATE_EXISTING);
                default -> Files.delete(model);
            }
            stdin.write(input, split, input.length - split);
        }
        assertTrue(p.waitFor(CliProcessTest.PATIENCE_SECONDS, TimeUnit.SECONDS), "pdq did not end");
        Cli.Result r = new Cli.Result(p.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode(), r::toString);
        CliProcessTest.assertNoStackTrace(r);

        Path originalCopy = dir.resolve("original.pdqk");
        ModelFile.write(original, originalCopy);
        Path otherCopy = dir.resolve("other-copy.pdqk");
        ModelFile.write(other, otherCopy);
        byte[] withOriginal = Cli.dequantize(input, withModel(args, originalCopy)).stdout();
        byte[] withOther = Cli.dequantize(input, withModel(args, otherCopy)).stdout();
        assertFalse(Arrays.equals(withOriginal, Arrays.copyOf(withOther, withOriginal.length)),
                "the two models must give different output, or this test could not fail");
        assertArrayEquals(withOriginal, r.stdout(), "the stream's output is the original model's, every sample");
    }

    private static String[] withModel(String[] args, Path model) {
        String[] a = Arrays.copyOfRange(args, 1, args.length);
        a[1] = model.toString();
        return a;
    }

    /** The DCT with a little seeded noise: a valid model whose output differs from the plain DCT's. */
    private static Operator perturbedDct(long seed) {
        float[] k = Dct.orthonormalDct2(N);
        Random rnd = new Random(seed);
        for (int i = 0; i < k.length; i++) {
            k[i] += 0.02f * (float) rnd.nextGaussian();
        }
        return new Operator(N, N, 4, Cli.RATE, 1.0, dev.pdq.solver.StepSizes.PAPER_RATIO, 8, 1, "swap test " + seed, k);
    }
}

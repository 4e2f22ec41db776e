package dev.pdq.cli;

import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.ModelFile;
import dev.pdq.quant.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Which operator dequantize runs without --model: the built-in one for the bit depth and for the grids asked for. */
class CliModelChoiceTest {
    static final String[] ENGINE = {"--iterations", "2", "--backend", "java", "--output-format", "f32le"};

    static byte[] codes(int bits) {
        float[] v = CliRoundTripTest.clean(0);
        Cli.Result q = Cli.quantize(Cli.s16le(v), "--bits", String.valueOf(bits), "--input-format", "s16le");
        assertEquals(0, q.exitCode(), q::toString);
        return q.stdout();
    }

    static Cli.Result dequantize(byte[] in, String... more) {
        Cli.Result r = Cli.dequantize(in, CliRoundTripTest.args(ENGINE, more));
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    /** --shifts 1 runs the one-grid model, exactly as that file given with --model runs. */
    @Test
    void oneGridRunsTheOneGridModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one-grid.pdqk");
        try (InputStream in = BuiltinModels.class.getResourceAsStream(BuiltinModels.oneGridResource(4))) {
            Files.copy(in, file);
        }
        byte[] codes = codes(4);
        Cli.Result builtIn = dequantize(codes, "--shifts", "1");
        assertEquals(1, builtIn.linesContaining("model: built-in 4-bit model for one frame grid (k = 640, L = 25)"),
                builtIn.stderr());
        Cli.Result given = dequantize(codes, "--shifts", "1", "--model", file.toString());
        assertArrayEquals(given.stdout(), builtIn.stdout());
    }

    /** Without --shifts, or with more grids, the default model and its 4 grids; without a one-grid model, too. */
    @Test
    void otherwiseTheDefaultModelRuns() {
        byte[] codes = codes(4);
        Cli.Result byDefault = dequantize(codes);
        assertEquals(1, byDefault.linesContaining("model: built-in 4-bit model for 4 frame grids (k = 320"),
                byDefault.stderr());
        assertEquals(1, byDefault.linesContaining("S = 4 on"), byDefault.stderr());
        Cli.Result two = dequantize(codes, "--shifts", "2");
        assertEquals(1, two.linesContaining("model: built-in 4-bit model for 4 frame grids (k = 320"), two.stderr());
        Cli.Result threeBits = dequantize(codes(3), "--shifts", "1");
        assertEquals(1, threeBits.linesContaining("model: built-in 3-bit model for 4 frame grids (k = 320"),
                threeBits.stderr());
        Cli.Result dct = dequantize(codes, "--shifts", "1", "--model", "dct");
        assertFalse(dct.stderr().contains("built-in"), dct.stderr());
    }

    /** info describes a model file as it is (its scheme too), and shows the built-in model for --scheme. */
    @Test
    void infoDescribesAModelOfAnotherScheme(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bfp.pdqk");
        ModelFile.write(BuiltinModels.dct(4).withScheme(Scheme.BFP, 32), file);
        Cli.Result given = Cli.inProcess(new InfoCommand(), "--model", file.toString(), "--backend", "java");
        assertEquals(0, given.exitCode(), given::toString);
        assertEquals(1, given.linesContaining("model:    n = 320, k = 320, 4 bits, bfp 32, 16000 Hz"), given.stderr());
        Cli.Result builtIn = Cli.inProcess(new InfoCommand(), "--scheme", "bfp", "--backend", "java");
        assertEquals(0, builtIn.exitCode(), builtIn::toString);
        assertEquals(1, builtIn.linesContaining("4 bits, bfp 32, 16000 Hz"), builtIn.stderr());
        Cli.Result uniform = Cli.inProcess(new InfoCommand(), "--backend", "java");
        assertEquals(1, uniform.linesContaining("4 bits, uniform, 16000 Hz"), uniform.stderr());
    }

    /** The stream's rate picks the model: an 8 kHz WAV runs the built-in 8 kHz model. */
    @Test
    void anEightKilohertzStreamRunsTheEightKilohertzModel() {
        float[] x = CliRoundTripTest.clean(0);
        Cli.Result r = Cli.dequantize(CliFaultTest.wavAt8kHz(x), "--iterations", "2", "--backend", "java");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, r.linesContaining("model: built-in 4-bit uniform, 8000 Hz model for 8 frame grids (k = 160"),
                r.stderr());
        assertEquals(2 * x.length, r.stdout().length);
    }
}

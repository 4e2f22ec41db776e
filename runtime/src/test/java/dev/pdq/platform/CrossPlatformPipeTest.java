package dev.pdq.platform;

import dev.pdq.blas.TestJvm;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * `pdq quantize --bits 4 | pdq dequantize` as a real OS pipe of two child JVMs of the platform under test gives
 * what the same pipe gives on the reference platform, within float32 rounding. In the arm64 profile the platform
 * under test is Debian's arm64 JVM and OpenBLAS under qemu with a Raspberry Pi profile, and the reference is the
 * host's x86-64 JVM (system property pdq.test.reference.java); elsewhere both are this JVM's java.
 */
@Tag("arm64")
class CrossPlatformPipeTest {

    private static final int RATE = 16000;
    private static final double SECONDS = 1.0;
    private static final long SEED = 7;
    /**
     * Largest difference allowed between the platforms' float32 outputs (full scale 1). The kernels sum in other
     * orders (NEON against AVX, with and without FMA) and L = 50 iterations carry the rounding along; measured:
     * 4.0e-7 between arm64 (CORTEXA72, NEOVERSEN1, ARMV8 kernels alike) and x86-64 on 2 s of this signal.
     */
    private static final float MAX_ABS_DIFFERENCE = 1e-5f;

    @TempDir
    Path dir;

    /**
     * Device profile, qemu CPU model, what the dequantizer's --stats must say about the backend: the profile's
     * core type, and its four threads as solver threads over a single-threaded OpenBLAS.
     */
    static Stream<Arguments> targets() {
        if (TestJvm.isAarch64()) {
            return Stream.of(arguments("rpi4", "cortex-a72", "core cortexa72, 1 thread, "),
                    arguments("rpi5", "cortex-a76", "core neoversen1, 1 thread, "));
        }
        return Stream.of(arguments("x86_64", "", "backend native"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("targets")
    void quantizeDequantizePipeMatchesTheReferencePlatform(String device, String qemuCpu, String backend)
            throws IOException, InterruptedException {
        Path in = writeSpeech(dir.resolve("speech.s16le"));
        int samples = (int) Math.round(SECONDS * RATE);

        Path out = dir.resolve("out-" + device + ".f32le");
        ChildJvm.Run run = ChildJvm.pipeline(pipe(TestJvm.java(), device), Map.of("PDQ_ARM64_CPU", qemuCpu),
                in, out, dir);
        String stats = run.stderr().get(1);
        assertTrue(stats.contains(backend), "dequantize ran with '" + backend + "':\n" + stats);
        if (TestJvm.isAarch64()) {
            assertTrue(stats.contains("4 solver threads"), "the profile's 4 threads solve the frames:\n" + stats);
        }
        assertTrue(stats.contains(samples + " samples per channel"), stats);

        Path reference = dir.resolve("out-reference.f32le");
        ChildJvm.pipeline(pipe(TestJvm.referenceJava(), "x86_64"), Map.of(), in, reference, dir);

        float[] got = floats(out);
        float[] want = floats(reference);
        assertEquals(samples, want.length, "reference output length");
        assertEquals(want.length, got.length, "output length");
        float worst = 0;
        int worstAt = 0;
        for (int i = 0; i < got.length; i++) {
            float d = Math.abs(got[i] - want[i]);
            if (!(d <= worst)) { // NaN counts as the worst
                worst = d;
                worstAt = i;
            }
        }
        assertTrue(worst <= MAX_ABS_DIFFERENCE, "largest difference " + worst + " at sample " + worstAt
                + " (got " + got[worstAt] + ", reference " + want[worstAt] + ")");
    }

    private static List<List<String>> pipe(String java, String device) {
        return List.of(
                ChildJvm.pdq(java, "quantize", "--bits", "4", "--input-format", "s16le", "--rate", "" + RATE),
                ChildJvm.pdq(java, "dequantize", "--device", device, "--backend", "native", "--output-format",
                        "f32le", "--stats"));
    }

    private static Path writeSpeech(Path file) throws IOException {
        float[] speech = SpeechSynth.generate(SECONDS, RATE, SEED);
        ByteBuffer bytes = ByteBuffer.allocate(speech.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : speech) {
            bytes.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768f))));
        }
        return Files.write(file, bytes.array());
    }

    private static float[] floats(Path file) throws IOException {
        FloatBuffer fb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}

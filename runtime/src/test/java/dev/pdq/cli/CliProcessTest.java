package dev.pdq.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing, as a subprocess ({@code java -cp <test class path> dev.pdq.cli.Main}): nothing but audio on
 * stdout, a reader that goes away, and SIGTERM and SIGINT in the middle of a stream.
 */
class CliProcessTest {
    static final int N = 320;
    /** Seconds a child may take before the test gives up on it (JVM start on a loaded machine included). */
    static final long PATIENCE_SECONDS = 60;

    static void assertNoStackTrace(Cli.Result r) {
        assertFalse(r.stderr().contains("\tat ") || r.stderr().contains("internal error"), r::toString);
    }

    // ---- stdout carries audio only ----

    @Test
    void dequantizeWritesExactlyTheAudio() {
        Cli.Result r = Cli.subprocess(CliGoldenTest.resource("clip-4bit.pdqc"), "dequantize", "--model", "dct",
                "--iterations", String.valueOf(GenerateCliGoldenVectors.ITERATIONS), "--shifts", "1",
                "--backend", "java", "--output-format", "f32le", "--stats");
        assertEquals(0, r.exitCode(), r::toString);
        float[] expected = CliGoldenTest.golden(1);
        assertEquals(4 * expected.length, r.stdout().length, "bytes on stdout");
        float[] y = Cli.fromF32le(r.stdout());
        for (int i = 0; i < y.length; i++) {
            assertEquals(expected[i], y[i], CliGoldenTest.GOLDEN_TOLERANCE, "sample " + i);
        }
        assertTrue(r.stderr().contains("pdq: INFO: dequantizing"), r::toString); // the logs went to stderr
        assertTrue(r.stderr().contains("pdq stats: off-grid input samples 0"), r::toString);
    }

    @Test
    void quantizeWritesExactlyTheCodeStream() {
        Cli.Result r = Cli.subprocess(CliGoldenTest.resource("clip.wav"), "quantize", "--bits", "4");
        assertEquals(0, r.exitCode(), r::toString);
        assertArrayEquals(CliGoldenTest.resource("clip-4bit.pdqc"), r.stdout());
    }

    @Test
    void synthWritesExactlyTheClip() {
        Cli.Result r = Cli.subprocess(new byte[0], "synth", "--seconds", "0.5");
        assertEquals(0, r.exitCode(), r::toString);
        assertArrayEquals(CliGoldenTest.resource("clip.wav"), r.stdout());
    }

    @Test
    void infoWritesNothingToStdout() {
        Cli.Result r = Cli.subprocess(new byte[0], "info");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.stdout().length, "stdout of info");
        assertTrue(r.stderr().contains("model:") && r.stderr().contains("backend:"), r::toString);
    }

    /** bench --quick --seconds 1, on the Java backend at L = 5 to keep it to a few seconds. */
    @Test
    void benchWritesNothingToStdout() {
        Cli.Result r = Cli.subprocess(new byte[0], "bench", "--quick", "--seconds", "1", "--backends", "java",
                "--iterations", "5");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.stdout().length, "stdout of bench");
        assertTrue(r.stderr().contains("| backend | B |"), r::toString);
    }

    @ParameterizedTest(name = "pdq {0}")
    @ValueSource(strings = {"--help", "--version", "dequantize --help", "quantize --help", "", "dequantize --frobnicate"})
    void helpVersionAndUsageErrorsGoToStderr(String args) {
        Cli.Result r = Cli.subprocess(new byte[0], args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(0, r.stdout().length, "stdout of pdq " + args);
        assertFalse(r.stderr().isBlank(), "nothing said on stderr");
        assertEquals(args.startsWith("--") || args.endsWith("--help") ? 0 : 2, r.exitCode(), r::toString);
    }

    // ---- a reader that goes away ----

    /**
     * The reader of stdout reads a little and closes the pipe while input keeps coming: pdq stops quietly with
     * ExitCodes.OUTPUT_CLOSED, without a stack trace or an error message.
     */
    @Test
    void closedStdoutEndsQuietly() throws Exception {
        Process p = Cli.process("dequantize", "--batch", "1", "--iterations", "1", "--backend", "java",
                "--input-format", "s16le").start();
        Cli.Pump err = Cli.Pump.start(p.getErrorStream());
        Thread feeder = feed(p.getOutputStream(), Long.MAX_VALUE); // until the child is gone
        InputStream out = p.getInputStream();
        byte[] some = out.readNBytes(1000);
        assertEquals(1000, some.length, "no output before the reader closed");
        out.close();
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "pdq kept running after its reader went away");
        feeder.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        Cli.Result r = new Cli.Result(p.exitValue(), some, new String(err.bytes(), StandardCharsets.UTF_8));
        assertEquals(ExitCodes.OUTPUT_CLOSED, r.exitCode(), r::toString);
        assertNoStackTrace(r);
        assertEquals(0, r.errorLines().size(), r::toString);
    }

    /** Writes silence-free s16le in pieces until {@code bytes} are written or the pipe breaks. */
    static Thread feed(OutputStream stdin, long bytes) {
        Thread t = new Thread(() -> {
            byte[] piece = Cli.s16le(GenerateCliGoldenVectors.quantized(
                    dev.pdq.demo.SpeechSynth.generate(0.1, Cli.RATE, 3), 4));
            try (stdin) {
                for (long sent = 0; sent < bytes; sent += piece.length) {
                    stdin.write(piece);
                    stdin.flush();
                }
            } catch (IOException expected) {
                // the child exited
            }
        }, "feeder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- SIGTERM and SIGINT ----

    /**
     * 5 frames and 123 samples are written and stdin is kept open; once the 5 frames have come out (B = 1 and the
     * input idle: each is solved at once) the process is signalled: it writes out the last 123 samples too (their
     * frame padded as at the end of a stream) and exits with 128 + the signal's number.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void signalWritesOutEverySampleReceived(String signal) throws Exception {
        int frames = 5;
        int samples = frames * N + 123;
        float[] x = GenerateCliGoldenVectors.quantized(Arrays.copyOf(
                dev.pdq.demo.SpeechSynth.generate(0.2, Cli.RATE, 21), samples), 4);
        String[] args = {"dequantize", "--model", "dct", "--batch", "1", "--shifts", "1", "--iterations", "5",
                "--backend", "java", "--input-format", "s16le"};
        Process p = Cli.process(args).start();
        Cli.Pump out = Cli.Pump.start(p.getInputStream());
        Cli.Pump err = Cli.Pump.start(p.getErrorStream());
        OutputStream stdin = p.getOutputStream();
        try {
            stdin.write(Cli.s16le(x));
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (out.size() < 2 * frames * N && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(20);
            }
            assertEquals(2 * frames * N, out.size(), "the complete frames did not come out before the signal");
            // the partial frame arrived in the same write as the frames before it; give the reader a moment
            Thread.sleep(300);
            int exitCode = signal(p, signal);
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "pdq did not end after SIG" + signal);
            Cli.Result r = new Cli.Result(p.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
            assertEquals(exitCode, r.exitCode(), r::toString);
            assertNoStackTrace(r);
            float[] y = Cli.fromS16le(r.stdout());
            assertEquals(samples, y.length, "samples written out: all that were received");
            // and they are the samples a stream ending there gives
            Cli.Result clean = Cli.dequantize(Cli.s16le(x), Arrays.copyOfRange(args, 1, args.length));
            CliFaultTest.assertSameSamples(Cli.fromS16le(clean.stdout()), r);
        } finally {
            stdin.close();
            p.destroyForcibly();
        }
    }

    /**
     * Sends SIGTERM (ProcessHandle.destroy(): Process.destroy() would also close our ends of the child's pipes and
     * lose what it writes out) or SIGINT (kill -INT), and returns the exit code the JVM then has, 128 + the
     * signal's number. A signal the child inherited as ignored gets no handler from the JVM: the test is skipped.
     */
    static int signal(Process p, String signal) throws Exception {
        int number = signal.equals("TERM") ? 15 : 2;
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        Assumptions.assumeTrue(Files.isReadable(status), "no /proc: cannot check the child's signal mask");
        long ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16)).findFirst().orElse(0);
        Assumptions.assumeTrue((ignored & (1L << (number - 1))) == 0, "SIG" + signal
                + " is ignored in this environment (inherited by the test JVM), so the JVM installs no handler");
        if (number == 15) {
            assertTrue(p.toHandle().destroy(), "SIGTERM not sent");
        } else {
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT failed");
        }
        return 128 + number;
    }
}

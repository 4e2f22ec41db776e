package dev.pdq.cli;

import dev.pdq.audio.PcmReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.OutputFormat;
import dev.pdq.testing.Drain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Runs the pdq command in tests: in process, through the command objects with their own stdin and stdout and the
 * configured command line of {@link Main#commandLine} (stderr captured), or as a real subprocess.
 */
final class Cli {
    private Cli() {
    }

    /** What a run left behind. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        /** The stderr lines that are not log lines of tinylog ("pdq: INFO: ..."). */
        List<String> errorLines() {
            List<String> lines = new ArrayList<>();
            for (String l : stderr.split("\n")) {
                if (!l.isBlank() && !l.startsWith("pdq: INFO:") && !l.startsWith("pdq: WARN:")) {
                    lines.add(l);
                }
            }
            return lines;
        }

        /** Lines of stderr containing {@code s}. */
        long linesContaining(String s) {
            return stderr.lines().filter(l -> l.contains(s)).count();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", " + stdout.length + " bytes on stdout, stderr:\n" + stderr;
        }
    }

    /** pdq dequantize in process, {@code in} on its stdin. */
    static Result dequantize(byte[] in, String... args) {
        return dequantize(new ByteArrayInputStream(in), args);
    }

    static Result dequantize(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return inProcess(new DequantizeCommand(in, out), out, args);
    }

    /** pdq quantize in process. */
    static Result quantize(byte[] in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return inProcess(new QuantizeCommand(new ByteArrayInputStream(in), out), out, args);
    }

    /** Executes a command object whose stdout the caller holds; the result's stdout is empty. */
    static Result inProcess(Object command, String... args) {
        return inProcess(command, new ByteArrayOutputStream(), args);
    }

    /**
     * Executes a command object through {@link Main#commandLine} with System.err captured (tinylog's console
     * writer and the fault handler both write to System.err as it is at the time of writing). Not for parallel
     * tests: System.err is global.
     */
    static Result inProcess(Object command, ByteArrayOutputStream out, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            code = Main.commandLine(command).execute(args);
        } finally {
            System.setErr(saved);
        }
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** The same command line as {@code java -cp <test classpath> dev.pdq.cli.Main ARGS}, not yet started. */
    static ProcessBuilder process(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1"); // these runs are short: start-up matters more than peak speed
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** The test class path: Surefire's real one where it runs the tests through a manifest-only jar. */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Runs pdq as a subprocess with {@code stdin} as its whole input; fails the test after the timeout. */
    static Result subprocess(byte[] stdin, String... args) {
        try {
            Process p = process(args).start();
            Pump out = Pump.start(p.getInputStream());
            Pump err = Pump.start(p.getErrorStream());
            try (OutputStream o = p.getOutputStream()) {
                o.write(stdin);
            } catch (IOException e) {
                // the command may refuse its input and exit before reading it all: its exit code tells
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("pdq " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Result(p.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Drains a stream on its own thread, so that a child never blocks on a full pipe. */
    static final class Pump extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private volatile IOException failure;

        private Pump(InputStream in) {
            super("pump");
            this.in = in;
            setDaemon(true);
        }

        static Pump start(InputStream in) {
            Pump p = new Pump(in);
            p.start();
            return p;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    synchronized (got) {
                        got.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        /** Bytes received so far. */
        int size() {
            synchronized (got) {
                return got.size();
            }
        }

        /** Everything, after the stream ended. */
        byte[] bytes() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(30));
            if (failure != null) {
                throw new AssertionError("reading the child's output failed", failure);
            }
            synchronized (got) {
                return got.toByteArray();
            }
        }
    }

    // ---- encoding and decoding of raw sample bytes, written independently of dev.pdq.audio ----

    /** s16le bytes of v * 32768, rounded to nearest (ties to even, as FORMATS.md says pdq does), clamped. */
    static byte[] s16le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.rint(x * 32768.0))));
        }
        return b.array();
    }

    static byte[] f32le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** s16le bytes as values s / 32768; a trailing odd byte fails the test. */
    static float[] fromS16le(byte[] bytes) {
        if (bytes.length % 2 != 0) {
            throw new AssertionError("s16le output of odd length " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getShort() / 32768f;
        }
        return v;
    }

    static float[] fromF32le(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new AssertionError("f32le output of " + bytes.length + " bytes, not a multiple of 4");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** Sample rate of every signal in these tests (the models' rate). */
    static final int RATE = 16000;

    /** The samples of a WAV at {@link #RATE} (through the tested WAV reader), interleaved; fails on any fault. */
    static float[] fromWav(byte[] bytes, int expectChannels) {
        try (SampleReader r = PcmReader.wav(new ByteArrayInputStream(bytes))) {
            if (r.channels() != expectChannels || r.sampleRate() != RATE) {
                throw new AssertionError("WAV of " + r.channels() + " channels at " + r.sampleRate()
                        + " Hz, expected " + expectChannels + " at " + RATE);
            }
            Drain.Result d = Drain.readAll(r, 4096 * expectChannels);
            assertNull(d.fault(), "the WAV output is not valid");
            return d.values();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes output bytes of a format by its command-line name. */
    static float[] decode(String format, byte[] bytes, int channels) {
        return switch (format) {
            case "s16le" -> fromS16le(bytes);
            case "f32le" -> fromF32le(bytes);
            case "wav", "wav-f32" -> fromWav(bytes, channels);
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** Samples encoded by pdq's own writers (tested in dev.pdq.audio) in a format of --output-format's names. */
    static byte[] encode(String format, float[] interleaved, int channels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SampleWriter w = AudioStreams.openOutput(out, OutputFormat.parse(format), channels, RATE)) {
            w.write(interleaved, 0, interleaved.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Channel c of interleaved samples. */
    static float[] channel(float[] interleaved, int channels, int c) {
        float[] v = new float[interleaved.length / channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = interleaved[i * channels + c];
        }
        return v;
    }

    /** Interleaves equally long channels. */
    static float[] interleave(float[]... channels) {
        int n = channels[0].length;
        float[] v = new float[n * channels.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels.length; c++) {
                v[i * channels.length + c] = channels[c][i];
            }
        }
        return v;
    }
}

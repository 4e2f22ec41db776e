package dev.pdq.bench;

import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.SampleWriter;
import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.stream.LatencyHistogram;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.stream.StreamDequantizer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The streaming soak benchmark (docs/HARDENING.md): an hour (or {@code --minutes}) of generated speech-like 4-bit
 * audio through the dequantize stream (framing, solver, s16le encoding) as fast as it runs, with the built-in
 * model at its defaults. Reports the process's resident memory (VmRSS from /proc/self/status) at the start and the
 * end, and per window of audio ({@code --window} minutes) the real-time factor and the per-frame latency (from a
 * frame's last sample to its solution, as {@code pdq dequantize --stats} reports it) p50, p99 and max.
 *
 * <pre>
 *   java -Xmx32m -XX:+UseSerialGC -cp runtime/target/pdq.jar dev.pdq.bench.StreamSoak --minutes 60
 * </pre>
 *
 * Options: --minutes M (60), --window W (5), --batch B (1), --backend auto|native|java (auto), --blas-threads T (1).
 * Writes a markdown table to stdout (a benchmark, not the pdq command: stdout carries no audio here).
 */
public final class StreamSoak {
    static final int RATE = 16000;
    static final int BITS = 4;
    /** Input arrives in pieces of one frame, as from a pipe. */
    static final int PIECE = 320;

    private StreamSoak() {
    }

    public static void main(String[] args) throws IOException {
        double minutes = 60;
        double window = 5;
        int batch = 1;
        int threads = 1;
        String backend = "auto";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--window" -> window = Double.parseDouble(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--backend" -> backend = args[i + 1];
                case "--blas-threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Blas blas = Blases.select(BlasChoice.parse(backend), BlasOptions.DEFAULT.withThreads(threads));
        Operator model = BuiltinModels.forBits(BITS).orElseThrow();
        Quantizer q = new Quantizer(BITS);
        float[] clip = SpeechSynth.generate(7, RATE, 11);
        clip = java.util.Arrays.copyOf(clip, clip.length + 1); // not a whole number of frames: frames drift along it
        q.quantize(clip, 0, clip, 0, clip.length);
        SampleWriter sink = PcmWriter.raw(OutputStream.nullOutputStream(), SampleEncoding.S16LE, 1);
        StreamDequantizer stream = StreamDequantizer.create(model, blas,
                new DequantizerSettings(1, model.shifts(), batch, model.trainedIterations()), sink);

        long total = (long) (minutes * 60 * RATE);
        long perWindow = (long) (window * 60 * RATE);
        System.out.printf(Locale.ROOT, "Stream soak: %.0f min of 4-bit audio, built-in model (S = %d, L = %d), B = %d,"
                        + " %s, Java %s, %s%n%n", minutes, model.shifts(), model.trainedIterations(), batch,
                blas.description(), System.getProperty("java.version"), jvmOptions());
        System.out.printf(Locale.ROOT, "start: VmRSS %.1f MiB%n%n", rssMib("VmRSS"));
        System.out.println("| audio (min) | real-time factor | latency p50 (ms) | latency p99 (ms) | latency max (ms)"
                + " | VmRSS (MiB) | heap used (MiB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        long sent = 0;
        int pos = 0;
        long windowStart = System.nanoTime();
        long windowSent = 0;
        LatencyHistogram latency = stream.latency();
        while (sent < total) {
            int n = (int) Math.min(Math.min(PIECE, clip.length - pos), total - sent);
            stream.push(clip, pos, n);
            pos = (pos + n) % clip.length;
            sent += n;
            windowSent += n;
            if (windowSent >= perWindow || sent == total) {
                if (sent == total) {
                    stream.finish();
                }
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                Runtime rt = Runtime.getRuntime();
                System.out.printf(Locale.ROOT, "| %.1f | %.4f | %.3f | %.3f | %.3f | %.1f | %.1f |%n",
                        sent / (60.0 * RATE), seconds / (windowSent / (double) RATE), latency.quantile(0.5) / 1e6,
                        latency.quantile(0.99) / 1e6, latency.quantile(1.0) / 1e6, rssMib("VmRSS"),
                        (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
                latency.reset();
                windowStart = System.nanoTime();
                windowSent = 0;
            }
        }
        System.out.printf(Locale.ROOT, "%nend: VmRSS %.1f MiB, VmHWM (peak) %.1f MiB; %d samples in, %d out%n",
                rssMib("VmRSS"), rssMib("VmHWM"), stream.received(), stream.emitted());
        if (stream.emitted() != total) {
            throw new IllegalStateException("emitted " + stream.emitted() + " of " + total + " samples");
        }
    }

    /** A field of /proc/self/status in MiB, or NaN where there is none. */
    static double rssMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }

    private static String jvmOptions() {
        return String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}

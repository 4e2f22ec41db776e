package dev.pdq.cli;

import dev.pdq.blas.Blas;
import dev.pdq.stream.LatencyHistogram;
import dev.pdq.stream.StreamDequantizer;

import java.util.Locale;

/** The --stats report of dequantize, on stderr. */
final class Stats {
    private Stats() {
    }

    static void print(StreamDequantizer stream, int sampleRate, long wallNanos, Blas blas) {
        double audioSeconds = stream.received() / (double) sampleRate;
        LatencyHistogram lat = stream.latency();
        System.err.printf(Locale.ROOT,
                "pdq stats: %d samples per channel (%.2f s of audio), %d frames solved%n"
                        + "pdq stats: real-time factor %.4f (solver time / audio time), %.4f wall-clock%n"
                        + "pdq stats: per-frame latency p50 %.2f ms, p99 %.2f ms (last input sample of a frame to"
                        + " its output written)%n"
                        + "pdq stats: backend %s (%s), %d solver thread%s%n"
                        + "pdq stats: off-grid input samples %d%n",
                stream.received(), audioSeconds, stream.framesSolved(),
                audioSeconds > 0 ? stream.solveNanos() / 1e9 / audioSeconds : 0.0,
                audioSeconds > 0 ? wallNanos / 1e9 / audioSeconds : 0.0,
                lat.quantile(0.5) / 1e6, lat.quantile(0.99) / 1e6,
                blas.name(), blas.description(), stream.solverThreads(), stream.solverThreads() == 1 ? "" : "s",
                stream.offGridSamples());
    }
}

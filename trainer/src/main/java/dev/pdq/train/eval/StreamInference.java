package dev.pdq.train.eval;

import dev.pdq.audio.SampleCollector;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;
import dev.pdq.stream.StreamDequantizer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Classical inference exactly as the runtime runs it: one mono utterance pushed through the runtime's
 * {@link StreamDequantizer} (S shifted grids, mirrored edges, L iterations a frame) and collected into a float[].
 * Built once per worker thread; not thread-safe.
 */
public final class StreamInference {
    private final StreamDequantizer dequantizer;
    private final SampleCollector sink = new SampleCollector(1, 0);

    /**
     * @param solver     a solver with its operator (and steps) set, max batch at least {@code batch}
     * @param quantizer  the grid the input was quantized on (its r is the box)
     * @param iterations L, iterations a frame
     */
    public StreamInference(PrimalDual solver, Quantizer quantizer, int shifts, int batch, int iterations) {
        this.dequantizer = new StreamDequantizer(solver, 1, shifts, batch, iterations, quantizer, sink);
    }

    /** The dequantized signal of quantized samples x (a new array of x.length samples). */
    public float[] dequantize(float[] x) {
        dequantizer.reset();
        sink.reset(x.length);
        try {
            dequantizer.push(x, 0, x.length);
            dequantizer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the collector does no I/O
        }
        if (sink.count() != x.length) {
            throw new IllegalStateException("stream dequantizer wrote " + sink.count() + " samples for " + x.length);
        }
        return sink.values();
    }
}

package dev.pdq.train.eval;

import dev.pdq.audio.SampleCollector;
import dev.pdq.blas.Blas;
import dev.pdq.operator.Operator;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.stream.StreamDequantizer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Classical inference exactly as the runtime runs it: one mono utterance with its cells pushed through the runtime's
 * {@link StreamDequantizer} (made by its factory: S shifted grids, mirrored edges, L iterations a frame, frames in
 * their scale) and collected into a float[]. Built once per worker thread; not thread-safe.
 */
public final class StreamInference {
    private final StreamDequantizer dequantizer;
    private final SampleCollector sink = new SampleCollector(1, 0);

    public StreamInference(Operator op, Blas blas, int shifts, int batch, int iterations) {
        this(op, blas, new DequantizerSettings(1, shifts, batch, iterations));
    }

    public StreamInference(Operator op, Blas blas, DequantizerSettings settings) {
        this.dequantizer = StreamDequantizer.create(op, blas, settings, sink);
    }

    /** The dequantized signal of a signal's values and cells (a new array of x.length samples). */
    public float[] dequantize(EvalSignal s) {
        float[] x = s.quantized();
        dequantizer.reset();
        sink.reset(x.length);
        try {
            dequantizer.pushCells(x, s.below(), s.above(), 0, x.length);
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

package dev.pdq.bench;

import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.SampleWriter;
import dev.pdq.blas.Blas;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.stream.StreamDequantizer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Real-time factor of the whole dequantize path (framing, solver, s16le encoding) on generated speech-like
 * input: compute time divided by audio duration, so below 1 keeps up with a live stream.
 */
public final class EndToEnd {
    private EndToEnd() {
    }

    /** Result of one run: the real-time factor and the audio it covered. */
    public record Result(String backend, int batch, int shifts, int iterations, double audioSeconds,
                         double computeSeconds) {
        public double realTimeFactor() {
            return computeSeconds / audioSeconds;
        }
    }

    /** @param workers solver threads ({@link DequantizerSettings#workers}) */
    public static Result run(Blas blas, Operator model, int batch, int shifts, int iterations, double seconds,
                             int workers) throws IOException {
        int rate = model.sampleRate();
        Quantizer q = new Quantizer(model.bits());
        float[] x = SpeechSynth.generate(seconds, rate, 7);
        q.quantize(x, 0, x, 0, x.length);
        SampleWriter sink = PcmWriter.raw(OutputStream.nullOutputStream(), SampleEncoding.S16LE, 1);
        DequantizerSettings settings = new DequantizerSettings(1, shifts, batch, iterations).withWorkers(workers);
        try (StreamDequantizer warm = StreamDequantizer.create(model, blas, settings, sink)) {
            warm.push(x, 0, Math.min(x.length, rate)); // one second to warm up the JIT
            warm.finish();
        }
        double compute;
        try (StreamDequantizer sd = StreamDequantizer.create(model, blas, settings, sink)) {
            long t0 = System.nanoTime();
            for (int off = 0; off < x.length; off += 320) {
                sd.push(x, off, Math.min(320, x.length - off));
            }
            sd.finish();
            compute = (System.nanoTime() - t0) / 1e9;
        }
        return new Result(blas.name(), batch, shifts, iterations, x.length / (double) rate, compute);
    }
}

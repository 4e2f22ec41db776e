package dev.pdq.examples;

import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.io.OutputFormat;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.Operator;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.stream.StreamDequantizer;
import dev.pdq.stream.StreamPump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The README's "Using pdq from Java", compiled and run by {@link UsingPdqFromJavaTest}. */
public final class UsingPdqFromJava {
    private UsingPdqFromJava() {
    }

    // README begin
    /** Dequantizes a 4-bit code stream (or WAV, or s16le) into s16le with the built-in model, as it arrives. */
    public static void dequantize(InputStream codes, OutputStream pcm) throws IOException {
        Operator model = BuiltinModels.forBits(4).orElseThrow();
        Blas blas = Blases.select(BlasChoice.AUTO, BlasOptions.DEFAULT);
        SampleReader in = AudioStreams.openInput(codes, InputFormat.AUTO, 1, model.sampleRate());
        SampleWriter out = AudioStreams.openOutput(pcm, OutputFormat.S16LE, in.channels(), model.sampleRate());
        StreamDequantizer stream = StreamDequantizer.create(model, blas,
                DequantizerSettings.defaults(in.channels(), model.shifts(), 32, model.trainedIterations()), out);
        new StreamPump(in, stream, out, StreamPump.DEFAULT_IDLE_NANOS).run(); // solves, writes, finishes
    }
    // README end
}

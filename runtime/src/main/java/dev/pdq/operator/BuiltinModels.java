package dev.pdq.operator;

import dev.pdq.quant.Scheme;
import dev.pdq.quant.StreamKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Operators shipped inside the jar (resources under dev/pdq/models/), for running without a model file: trained
 * models for the uniform grid at 3, 4, 5 and 6 bits, a second 4-bit model for one frame grid, 4 bits at 8 kHz, BFP
 * at 3, 4 and 5 bits and IMA ADPCM (docs/models/ says how each was made and how to remake it), and K = DCT at a
 * measured L (or the plain decoding, where the DCT is worse) for the other streams.
 */
public final class BuiltinModels {
    public static final int FRAME_LENGTH = 320;
    public static final int SAMPLE_RATE = 16000;
    /** L of K = DCT at 4 bits (runtime/MODEL_FORMAT.md has the table). */
    public static final int DCT_4BIT_ITERATIONS = 50;

    private BuiltinModels() {
    }

    /**
     * L for K = DCT at each bit depth, measured by mean per-file SNR on 20 IEEE dev files
     * (runtime/MODEL_FORMAT.md has the tables). At 6 bits and more the DCT solution is worse than the quantized
     * input at every L from 1 to 200 (it over-smooths), so the measured best is L = 0: pass the input through.
     */
    public static int dctIterations(int bits) {
        return switch (bits) {
            case 1 -> 100;
            case 2, 4, 5 -> DCT_4BIT_ITERATIONS;
            case 3 -> 20;
            default -> 0;
        };
    }

    /**
     * L for K = DCT on a stream: {@link #dctIterations(int)} on the uniform grid; 0 (the plain decoding) for block
     * floating point and IMA ADPCM, where K = DCT over-smooths at every L measured on ieee16k/dev plus voices16k/dev
     * (runtime/MODEL_FORMAT.md, "K = DCT on other schemes").
     */
    public static int dctIterations(StreamKind kind) {
        return kind.scheme() == Scheme.UNIFORM ? dctIterations(kind.bits()) : 0;
    }

    /** K = DCT for a bit depth (its file field L is at least 1; use {@link #dctIterations} to run it). */
    public static Operator dct(int bits) {
        return dct(StreamKind.uniform(bits, SAMPLE_RATE));
    }

    /**
     * K = DCT for a stream: frames of 20 ms at its rate (n = rate / 50, 320 at 16 kHz, 160 at 8 kHz), its scheme
     * recorded; L as {@link #dctIterations(StreamKind)} measured it (the file field is at least 1).
     */
    public static Operator dct(StreamKind kind) {
        int l = dctIterations(kind);
        int n = frameLength(kind.sampleRate());
        return Operator.dct(n, kind.bits(), kind.sampleRate(), Math.max(1, l))
                .withScheme(kind.scheme(), kind.blockLength())
                .withProvenance("K = orthonormal DCT-II (n = k = " + n + "), no training; measured default L = " + l
                        + " for " + kind.describe() + (l == 0 ? " (no L beats the quantized input)" : ""));
    }

    /** The frame length of 20 ms at a sample rate (at least 8 samples). */
    public static int frameLength(int sampleRate) {
        return Math.max(8, Math.round(sampleRate / 50f));
    }

    /** The resource path of the built-in model for a bit depth. */
    public static String resource(int bits) {
        return "/dev/pdq/models/default-" + bits + "bit" + ModelFile.EXTENSION;
    }

    /** The resource path of the built-in model trained for one frame grid, where a bit depth has one. */
    public static String oneGridResource(int bits) {
        return "/dev/pdq/models/default-" + bits + "bit-1grid" + ModelFile.EXTENSION;
    }

    /**
     * The resource of the built-in model for a stream (and, with shifts 1, the one-grid variant): the uniform grid
     * at 16 kHz is {@code default-Bbit}, other schemes and rates add their names, e.g. {@code default-bfp-4bit},
     * {@code default-ima-adpcm-4bit}, {@code default-4bit-8k}.
     */
    public static String resource(StreamKind kind, boolean oneGrid) {
        String scheme = kind.scheme() == Scheme.UNIFORM ? "" : kind.scheme().cliName() + "-";
        String rate = kind.sampleRate() == SAMPLE_RATE ? "" : "-" + kind.sampleRate() / 1000 + "k";
        return "/dev/pdq/models/default-" + scheme + kind.bits() + "bit" + rate + (oneGrid ? "-1grid" : "")
                + ModelFile.EXTENSION;
    }

    /** The bit depths with a built-in model. */
    public static int[] bitDepths() {
        return new int[] {3, 4, 5, 6};
    }

    /**
     * The built-in model for a bit depth, read and validated from the jar; empty if there is none.
     *
     * @throws UncheckedIOException if the resource exists but cannot be read (a broken build)
     */
    public static Optional<Operator> forBits(int bits) {
        return read(resource(bits));
    }

    /**
     * The built-in model to run on {@code shifts} frame grids. The default models are trained through the average of
     * 4 grids and lose much of their gain on one (4 bits, on dev: 12.76 dB against 14.11 dB for the one-grid
     * model), so S = 1 gets the one-grid model where the bit depth has one; any other S gets {@link #forBits(int)}.
     */
    public static Optional<Operator> forBits(int bits, int shifts) {
        return forStream(StreamKind.uniform(bits, SAMPLE_RATE), shifts);
    }

    /**
     * The built-in model for a stream ({@code shifts} null: the model's own; 1: the one-grid model where there is
     * one), whose scheme and gain block match the stream's; empty if there is none.
     */
    public static Optional<Operator> forStream(StreamKind kind, Integer shifts) {
        Optional<Operator> op = Optional.empty();
        if (shifts != null && shifts == 1) {
            op = read(resource(kind, true));
        }
        if (op.isEmpty()) {
            op = read(resource(kind, false));
        }
        return op.filter(o -> o.scheme() == kind.scheme() && o.blockLength() == kind.blockLength()
                && o.sampleRate() == kind.sampleRate());
    }

    private static Optional<Operator> read(String name) {
        try (InputStream in = BuiltinModels.class.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(ModelFile.read(in, "built-in " + name, BuiltinNorms.of(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

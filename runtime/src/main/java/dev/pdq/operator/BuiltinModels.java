package dev.pdq.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Operators shipped inside the jar (resources under dev/pdq/models/), for running without a model file: trained
 * models for 3, 4, 5 and 6 bits (the README's "The built-in model" and "Models for 3, 5 and 6 bits" say how they were
 * made and how to remake them), a second 4-bit model trained for one frame grid, and K = DCT at a measured L for
 * the other bit depths.
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

    /** K = DCT for a bit depth (its file field L is at least 1; use {@link #dctIterations} to run it). */
    public static Operator dct(int bits) {
        int l = dctIterations(bits);
        return Operator.dct(FRAME_LENGTH, bits, SAMPLE_RATE, Math.max(1, l)).withProvenance(
                "K = orthonormal DCT-II (n = k = " + FRAME_LENGTH + "), no training; measured default L = " + l
                        + " at " + bits + " bits" + (l == 0 ? " (no L beats the quantized input)" : ""));
    }

    /** The resource path of the built-in model for a bit depth. */
    public static String resource(int bits) {
        return "/dev/pdq/models/default-" + bits + "bit" + ModelFile.EXTENSION;
    }

    /** The resource path of the built-in model trained for one frame grid, where a bit depth has one. */
    public static String oneGridResource(int bits) {
        return "/dev/pdq/models/default-" + bits + "bit-1grid" + ModelFile.EXTENSION;
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
        if (shifts == 1) {
            Optional<Operator> oneGrid = read(oneGridResource(bits));
            if (oneGrid.isPresent()) {
                return oneGrid;
            }
        }
        return forBits(bits);
    }

    private static Optional<Operator> read(String name) {
        try (InputStream in = BuiltinModels.class.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(ModelFile.read(in, "built-in " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

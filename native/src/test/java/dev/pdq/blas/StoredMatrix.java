package dev.pdq.blas;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * A rows x cols matrix stored row-major in a buffer at an offset with a leading dimension, every other element of
 * the buffer (before the offset, the gaps of a padded ld, the tail) holding a filler value, so tests can check
 * that a backend neither reads (NaN filler in inputs) nor writes (sentinel filler in outputs) outside the matrix.
 */
final class StoredMatrix {

    /** Filler of inputs: a backend that reads it produces NaN. */
    static final float NEVER_READ = Float.NaN;
    /** Filler of outputs: must still be there after the call. */
    static final float NEVER_WRITTEN = 12345.5f;

    final FloatBuffer buf;
    final int rows, cols, ld, off;
    private final float[] before;

    private StoredMatrix(FloatBuffer buf, int rows, int cols, int ld, int off) {
        this.buf = buf;
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
        this.off = off;
        this.before = snapshot(buf);
    }

    /**
     * Values uniform in [-1, 1) (or {@code fill} for every element if it is not null) at the given layout.
     *
     * @param padding ld - cols
     */
    static StoredMatrix of(BlasBackends.Backend backend, Random rnd, int rows, int cols, int padding, int off,
                           float filler, Float fill) {
        int ld = Math.max(1, cols + padding);
        int extent = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
        FloatBuffer buf = backend.allocate(off + extent + 3);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, filler);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                buf.put(off + r * ld + c, fill != null ? fill : 2f * rnd.nextFloat() - 1f);
            }
        }
        return new StoredMatrix(buf, rows, cols, ld, off);
    }

    /** Element (r, c) of the matrix as stored now. */
    float get(int r, int c) {
        return buf.get(off + r * ld + c);
    }

    /** Element (r, c) as it was when the matrix was made. */
    float initial(int r, int c) {
        return before[off + r * ld + c];
    }

    /** Element (r, c) of op(M): transposed reads (c, r). */
    double op(boolean transposed, int r, int c) {
        return transposed ? initial(c, r) : initial(r, c);
    }

    boolean inMatrix(int index) {
        int rel = index - off;
        if (rel < 0 || rows == 0 || cols == 0) {
            return false;
        }
        int r = rel / ld, c = rel % ld;
        return r < rows && c < cols;
    }

    /** Index of the first element outside the matrix that changed, or -1 (bitwise: NaN fillers compare equal). */
    int firstChangeOutside() {
        for (int i = 0; i < buf.capacity(); i++) {
            if (!inMatrix(i) && Float.floatToRawIntBits(buf.get(i)) != Float.floatToRawIntBits(before[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first element anywhere that changed, or -1. */
    int firstChange() {
        for (int i = 0; i < buf.capacity(); i++) {
            if (Float.floatToRawIntBits(buf.get(i)) != Float.floatToRawIntBits(before[i])) {
                return i;
            }
        }
        return -1;
    }

    private static float[] snapshot(FloatBuffer buf) {
        float[] copy = new float[buf.capacity()];
        buf.get(0, copy, 0, copy.length);
        return copy;
    }
}

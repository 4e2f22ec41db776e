package dev.pdq.audio;

/**
 * A {@link SampleWriter} that keeps every value in memory, in the order written, up to a fixed capacity: for
 * running the streaming dequantizer on a signal held in an array (evaluation, tests). Not thread-safe.
 */
public final class SampleCollector implements SampleWriter {
    private final int channels;
    private float[] values;
    private int count;

    /** @param capacity values (not frames) it accepts before refusing */
    public SampleCollector(int channels, int capacity) {
        if (channels < 1 || capacity < 0) {
            throw new IllegalArgumentException("SampleCollector: channels " + channels + ", capacity " + capacity);
        }
        this.channels = channels;
        this.values = new float[capacity];
    }

    /** Forgets what was written and takes up to {@code capacity} values into a new array. */
    public void reset(int capacity) {
        values = new float[capacity];
        count = 0;
    }

    /**
     * @throws IllegalArgumentException if len is not whole sample frames
     * @throws IllegalStateException    if the values would pass the capacity (more out than could have gone in)
     */
    @Override
    public void write(float[] src, int off, int len) {
        if (len % channels != 0) {
            throw new IllegalArgumentException("a write of " + len + " values splits a frame of " + channels);
        }
        if (len > values.length - count) {
            throw new IllegalStateException("more values written (" + ((long) count + len) + ") than the "
                    + values.length + " expected");
        }
        System.arraycopy(src, off, values, count, len);
        count += len;
    }

    /** The values written so far (the collector's own array when it is full, else a copy). */
    public float[] values() {
        return count == values.length ? values : java.util.Arrays.copyOf(values, count);
    }

    /** Values written so far. */
    public int count() {
        return count;
    }

    /** Value i (0 .. count - 1). */
    public float value(int i) {
        if (i >= count) {
            throw new IndexOutOfBoundsException("value " + i + " of " + count);
        }
        return values[i];
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public void flush() {
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }

    @Override
    public long framesWritten() {
        return count / channels;
    }
}

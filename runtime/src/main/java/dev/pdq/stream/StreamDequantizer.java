package dev.pdq.stream;

import dev.pdq.audio.SampleWriter;
import dev.pdq.blas.Blas;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.BatchSolver;
import dev.pdq.solver.FrameParallelSolver;

import java.io.IOException;

/**
 * Streaming dequantizer: interleaved quantized samples in, interleaved dequantized samples out, in order and
 * exactly as many as went in. Built once per stream with all workspace preallocated; {@link #reset()} starts a
 * new stream with the same settings.
 *
 * <p>Framing. Every channel is cut into frames of n samples on S shifted grids (S = 1: the paper's fixed
 * non-overlapping frames; S > 1: cycle spinning, grid g starts at -g*n/S). Frames that stick out of the stream
 * at its start or end are filled by mirroring the signal (values and cells) about its first and last sample; only
 * the samples inside the stream are written out. Every output sample is the mean of the S frame solutions covering
 * it, clamped to its cell, so every output sample stays in its cell exactly; for S = 1 the output is the solver's
 * y itself.
 *
 * <p>Cells. {@link #push} takes samples on the fixed grid of the stream's {@link Quantizer} (cell x +- r, also for
 * samples off the grid, which are counted); {@link #pushCells} takes each sample's own cell [x + below, x + above]
 * (block floating point, ADPCM), and each frame is solved in the scale of its cells relative to {@code unit} (see
 * {@link dev.pdq.quant.FrameScale}). A stream uses one of the two.
 *
 * <p>Quiet streams. A model learned on speech at full level runs other dynamics on a stream at -20 or -30 dBFS on
 * the fixed grid, where nearly every sample sits in the two middle cells, and does worse there than doing nothing.
 * With the quiet fallback on ({@link #setQuietWindow}), a frame with no sample beyond the two middle levels (|x| > r)
 * in it, in the window before it or in what has arrived after it comes out as 0, the point of its cells nearest to
 * 0: the exact solution for any K, and what K = DCT converges to there. (Never at L = 0: that passes the input
 * through.)
 *
 * <p>Batching and latency. Frames are queued as soon as their samples are in and solved B at a time (rows of one
 * PrimalDual batch, all channels of a frame position together). {@link #flushPending()} solves a partial batch,
 * which the caller does when its input goes idle so that a live pipe never waits for a full batch. With B = 1 and
 * S = 1 a sample leaves at most one frame after it arrived, plus compute; S > 1 adds at most one frame.
 *
 * <p>Threading: not thread-safe; one thread drives a stream. The sink is written and flushed (after every
 * batch) from that thread; finishing the sink is the caller's.
 */
public final class StreamDequantizer implements AutoCloseable {
    private final BatchSolver solver;
    private final int n;
    private final int channels;
    private final int shifts;
    private final int iterations;
    private final Quantizer quantizer;
    private final float r;
    private final float unit;
    private final SampleWriter sink;

    private final int maxRows;
    private final float[] batchX;
    private final float[] batchBelow;
    private final float[] batchAbove;
    private final float[] batchY;
    private final long[] rowStart;
    private final int[] rowGrid;
    private final long[] rowReadyNanos;
    private final boolean[] rowQuiet;
    /** Per channel, the last sample beyond the four middle levels (for the quiet fallback). */
    private final long[] lastLoud;
    private long quietWindow;
    private int rows;

    private final int ringMask;
    private final float[][] input;   // x by channel, ring indexed by sample time
    private final float[][] below;   // cells by channel, same ring
    private final float[][] above;
    private final float[][] sum;     // sum of frame solutions by channel, same ring
    private final float[] out;       // interleaving buffer handed to the sink
    private final long[] nextStart;  // by grid: start of the next frame to queue
    private final long[] solvedEnd;  // by grid: end of the last solved frame

    private long received;
    private long emitted;
    private long offGrid;
    private boolean ended;
    private long framesSolved;
    private long quietFrames;
    private long solveNanos;
    private final LatencyHistogram latency = new LatencyHistogram();

    /**
     * @param solver     a solver with its operator set; its max batch must be at least {@link #rowsFor}
     * @param channels   interleaved channels, each dequantized on its own
     * @param shifts     S, the number of shifted frame grids (n divisible by S)
     * @param batch      frames per solver call (B); rounded up to whole frame positions of all channels
     * @param iterations primal-dual iterations per frame
     * @param quantizer  the grid the input was quantized on: its half cell width r bounds every output sample's
     *                   distance from its input sample; input off that grid is dequantized all the same and counted
     */
    public StreamDequantizer(BatchSolver solver, int channels, int shifts, int batch, int iterations,
                             Quantizer quantizer, SampleWriter sink) {
        this(solver, channels, shifts, batch, iterations, quantizer, quantizer.halfWidth(), sink);
    }

    /**
     * @param quantizer the grid of {@link #push} (for {@link #pushCells} streams: the grid at full scale)
     * @param unit      the nominal half width frames are scaled against ({@link dev.pdq.quant.NodeQuantizer#nominalHalfWidth})
     */
    public StreamDequantizer(BatchSolver solver, int channels, int shifts, int batch, int iterations,
                             Quantizer quantizer, float unit, SampleWriter sink) {
        this.n = solver.frameLength();
        if (channels < 1) {
            throw new IllegalArgumentException("channels = " + channels + " must be at least 1");
        }
        if (shifts < 1 || n % shifts != 0) {
            throw new IllegalArgumentException("shifts = " + shifts + " must be >= 1 and divide the frame length " + n);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations = " + iterations + " is negative");
        }
        this.solver = solver;
        this.channels = channels;
        this.shifts = shifts;
        this.iterations = iterations;
        this.quantizer = quantizer;
        this.r = quantizer.halfWidth();
        this.unit = unit;
        this.sink = sink;
        this.maxRows = rowsFor(batch, channels);
        if (solver.maxBatch() < maxRows) {
            throw new IllegalArgumentException("solver batch " + solver.maxBatch() + " < " + maxRows + " rows");
        }
        this.batchX = new float[maxRows * n];
        this.batchBelow = new float[maxRows * n];
        this.batchAbove = new float[maxRows * n];
        this.batchY = new float[maxRows * n];
        this.rowStart = new long[maxRows];
        this.rowGrid = new int[maxRows];
        this.rowReadyNanos = new long[maxRows];
        this.rowQuiet = new boolean[maxRows];
        this.lastLoud = new long[channels];
        // Unemitted samples span at most the queued frame positions plus the grids' skew and one input piece.
        int ring = Integer.highestOneBit((maxRows / channels + 4) * n - 1) << 1;
        this.ringMask = ring - 1;
        this.input = new float[channels][ring];
        this.below = new float[channels][ring];
        this.above = new float[channels][ring];
        this.sum = new float[channels][ring];
        this.out = new float[n * channels];
        this.nextStart = new long[shifts];
        this.solvedEnd = new long[shifts];
        reset();
    }

    /**
     * A ready stream dequantizer for {@code model} on {@code blas}: the model's solver (K in the backend's memory,
     * workspace for the batch; with {@link DequantizerSettings#workers} > 1 a {@link FrameParallelSolver} of that
     * many parts, at most one a row of the batch, whose threads {@link #close} stops), the model's grid for
     * {@link #push} and its scheme's unit for {@link #pushCells}. Everything is allocated here, once.
     *
     * @throws IllegalArgumentException if the settings do not fit the model (S must divide its n)
     */
    public static StreamDequantizer create(Operator model, Blas blas, DequantizerSettings settings,
                                           SampleWriter sink) {
        if (model.n() % settings.shifts() != 0) {
            throw new IllegalArgumentException("shifts " + settings.shifts() + " must divide the frame length "
                    + model.n());
        }
        BatchSolver solver = model.newSolver(blas, rowsFor(settings.batch(), settings.channels()),
                settings.workers());
        solver.setSilentFramesAreZero(settings.silentZero());
        Quantizer grid = model.quantizer();
        StreamDequantizer sd;
        try {
            sd = new StreamDequantizer(solver, settings.channels(), settings.shifts(), settings.batch(),
                    settings.iterations(), grid, model.unit(), sink);
        } catch (RuntimeException e) {
            solver.close(); // its threads, if it has any: nobody else holds it
            throw e;
        }
        if (settings.quietFallback() && model.scheme() == dev.pdq.quant.Scheme.UNIFORM && settings.iterations() > 0) {
            sd.setQuietWindow(model.sampleRate());
        }
        return sd;
    }

    /**
     * Turns the quiet fallback on with a look-back of {@code samples} (0: off), for a stream on the fixed grid
     * (the factory turns it on only for the uniform scheme: the others scale their cells with the signal).
     */
    public void setQuietWindow(long samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("quiet window " + samples + " is negative");
        }
        quietWindow = samples;
    }

    /** Solver rows needed for a batch of B frames with this many channels: whole frame positions, at least one. */
    public static int rowsFor(int batch, int channels) {
        return Math.max(1, (batch + channels - 1) / channels) * channels;
    }

    /** Forgets the current stream (its queued frames are dropped) and starts a new one. */
    public void reset() {
        rows = 0;
        received = 0;
        emitted = 0;
        offGrid = 0;
        ended = false;
        for (int g = 0; g < shifts; g++) {
            nextStart[g] = FrameGrid.firstStart(g, n, shifts);
            solvedEnd[g] = nextStart[g];
        }
        for (float[] s : sum) {
            java.util.Arrays.fill(s, 0f);
        }
        java.util.Arrays.fill(lastLoud, Long.MIN_VALUE / 2);
    }

    /**
     * Takes {@code frames} sample frames (frames * channels interleaved floats) on the stream's grid from
     * {@code interleaved[off..)}, solving and writing out whatever batches they complete.
     */
    public void push(float[] interleaved, int off, int frames) throws IOException {
        take(interleaved, null, null, off, frames);
    }

    /**
     * Takes {@code frames} sample frames with their cells: value x = {@code values[i]}, cell [x + below[i],
     * x + above[i]] (interleaved like the values), solving and writing out whatever batches they complete.
     */
    public void pushCells(float[] values, float[] belowIn, float[] aboveIn, int off, int frames) throws IOException {
        take(values, belowIn, aboveIn, off, frames);
    }

    private void take(float[] interleaved, float[] belowIn, float[] aboveIn, int off, int frames) throws IOException {
        if (ended) {
            throw new IllegalStateException("push after finish");
        }
        float loud = r * (1 + (float) Quantizer.ON_GRID_TOLERANCE);
        int pos = off;
        int left = frames;
        while (left > 0) {
            int piece = Math.min(left, n); // small pieces keep the ring bound above
            for (int i = 0; i < piece; i++) {
                int slot = (int) ((received + i) & ringMask);
                for (int c = 0; c < channels; c++) {
                    float v = interleaved[pos];
                    input[c][slot] = v;
                    if (belowIn == null) {
                        below[c][slot] = -r;
                        above[c][slot] = r;
                        if (!quantizer.onGrid(v)) {
                            offGrid++;
                        }
                    } else {
                        below[c][slot] = belowIn[pos];
                        above[c][slot] = aboveIn[pos];
                    }
                    if (Math.abs(v) > loud) {
                        lastLoud[c] = received + i;
                    }
                    pos++;
                }
            }
            received += piece;
            left -= piece;
            queueReadyFrames();
        }
    }

    /** Solves the frames queued so far (a partial batch) and writes out what they complete. */
    public void flushPending() throws IOException {
        solveQueued();
    }

    /** Ends the stream: solves the frames that stick out past its end and writes out every remaining sample. */
    public void finish() throws IOException {
        if (!ended) {
            ended = true;
            if (received > 0) { // an empty stream has no frame to solve (the shifted grids' first ones were queued)
                queueReadyFrames();
            }
            solveQueued();
            emit();
            sink.flush();
        }
    }

    /** Stops the solver's threads, if it has any ({@link DequantizerSettings#workers}); solving after it fails. */
    @Override
    public void close() {
        solver.close();
    }

    private boolean ready(long start) {
        if (ended) {
            return start < received;
        }
        return start + n <= received && -start < received;
    }

    private void queueReadyFrames() throws IOException {
        for (int g = 0; g < shifts; g++) {
            while (ready(nextStart[g])) {
                if (rows == maxRows) {
                    solveQueued();
                }
                long start = nextStart[g];
                long now = System.nanoTime();
                for (int c = 0; c < channels; c++) {
                    float[] x = input[c];
                    float[] lo = below[c];
                    float[] hi = above[c];
                    int base = rows * n;
                    for (int i = 0; i < n; i++) {
                        int slot = (int) (mirror(start + i) & ringMask);
                        batchX[base + i] = x[slot];
                        batchBelow[base + i] = lo[slot];
                        batchAbove[base + i] = hi[slot];
                    }
                    rowStart[rows] = start;
                    rowGrid[rows] = g;
                    rowQuiet[rows] = quietWindow > 0 && lastLoud[c] < start - quietWindow;
                    rowReadyNanos[rows] = now;
                    rows++;
                }
                nextStart[g] = start + n;
            }
        }
    }

    /** The stream position whose sample stands at position t: mirrored about the first and, once known, last sample. */
    private long mirror(long t) {
        if (!ended) {
            return t < 0 ? -t : t;
        }
        return FrameGrid.mirror(t, (int) Math.min(received, Integer.MAX_VALUE));
    }

    private void solveQueued() throws IOException {
        if (rows == 0) {
            return;
        }
        long t0 = System.nanoTime();
        solver.load(batchX, batchBelow, batchAbove, 0, rows, unit);
        solver.solve(iterations);
        solver.readPrimal(batchY, 0);
        for (int row = 0; row < rows; row++) {
            if (rowQuiet[row]) {
                for (int i = row * n, end = i + n; i < end; i++) {
                    float x = batchX[i];
                    batchY[i] = Math.max(x + batchBelow[i], Math.min(x + batchAbove[i], 0f));
                }
                quietFrames++;
            }
        }
        solveNanos += System.nanoTime() - t0;
        for (int row = 0; row < rows; row++) {
            long start = rowStart[row];
            float[] s = sum[row % channels];
            long from = Math.max(0, start);
            long to = ended ? Math.min(start + n, received) : start + n;
            int base = row * n;
            for (long t = from; t < to; t++) {
                s[(int) (t & ringMask)] += batchY[base + (int) (t - start)];
            }
            solvedEnd[rowGrid[row]] = start + n;
        }
        framesSolved += rows;
        emit();
        sink.flush();
        long now = System.nanoTime();
        for (int row = 0; row < rows; row++) {
            latency.record(now - rowReadyNanos[row]);
        }
        rows = 0;
    }

    /** Writes out every sample whose S frame solutions are all in. */
    private void emit() throws IOException {
        long limit = Long.MAX_VALUE;
        for (long e : solvedEnd) {
            limit = Math.min(limit, e);
        }
        if (ended) {
            limit = Math.min(limit, received);
        }
        if (limit - emitted > ringMask) {
            throw new IllegalStateException("stream ring overrun: " + (limit - emitted) + " samples pending");
        }
        float inv = 1f / shifts;
        while (emitted < limit) {
            int count = (int) Math.min(limit - emitted, n);
            int k = 0;
            for (int i = 0; i < count; i++) {
                int slot = (int) ((emitted + i) & ringMask);
                for (int c = 0; c < channels; c++) {
                    float v = sum[c][slot];
                    sum[c][slot] = 0f;
                    if (shifts > 1) {
                        float x = input[c][slot];
                        v = FrameGrid.clampedMean(v, inv, x, below[c][slot], above[c][slot]);
                    }
                    out[k++] = v;
                }
            }
            sink.write(out, 0, count * channels);
            emitted += count;
        }
    }

    /** Sample frames (per channel) received so far. */
    public long received() {
        return received;
    }

    /** Sample frames written out so far. */
    public long emitted() {
        return emitted;
    }

    /** Input samples (all channels) given to {@link #push} that were not on the quantizer's grid. */
    public long offGridSamples() {
        return offGrid;
    }

    /** Frames that came out by the quiet fallback (see the class comment). */
    public long quietFrames() {
        return quietFrames;
    }

    /** Threads the frames are solved on ({@link DequantizerSettings#workers}, at most one a row of the batch). */
    public int solverThreads() {
        return solver.threads();
    }

    /** Frames (solver rows) solved so far. */
    public long framesSolved() {
        return framesSolved;
    }

    /** Time spent in the solver so far. */
    public long solveNanos() {
        return solveNanos;
    }

    /** Time from a frame's last input sample to its solution being written out. */
    public LatencyHistogram latency() {
        return latency;
    }

    public int channels() {
        return channels;
    }

    public int shifts() {
        return shifts;
    }
}

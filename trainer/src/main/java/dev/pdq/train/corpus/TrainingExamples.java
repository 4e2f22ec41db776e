package dev.pdq.train.corpus;

import dev.pdq.quant.NodeQuantizer;

/**
 * What a training step draws from: {@link #count()} examples, each a fixed group of frames for the solver. Plain
 * training ({@link FrameSet}) has one frame per example; training through the averaged output of shifted grids
 * ({@link GridSegments}) has a segment of consecutive frames and the shifted frames that cover it.
 */
public interface TrainingExamples {
    /** n, the samples of one solver frame. */
    int frameLength();

    int count();

    int utterances();

    /** Solver frames one example takes in a batch: 1 for plain frames. */
    default int framesPerExample() {
        return 1;
    }

    /** Frames of clean signal one example's loss covers (the batch loss is a mean over these): 1 for plain frames. */
    default int lossFramesPerExample() {
        return 1;
    }

    /** The corpus of every example (an index into {@link #corpora()}), for balanced sampling. */
    int[] corpusOfExamples();

    /** The corpora the examples come from ({@link Utterance#group()} of their files), in index order. */
    java.util.List<String> corpora();

    /** The epoch's grid offsets per utterance (the shifted-grid augmentation); see {@link FrameSet#shifts}. */
    int[] shifts(long seed, int epoch);

    /**
     * Fills {@code size * framesPerExample()} frames of a batch from examples {@code order[from .. from + size)}:
     * their clean frames and what the node's quantizer {@code q} tells the decoder of them (values and cells), as
     * the node would have quantized the whole utterance at the epoch's gain (segments of {@code q} counted from the
     * utterance's first sample). Modifies batch.
     *
     * @param gains  per-utterance gain of this epoch, or null for 1
     * @param shifts per-utterance grid offset, or null for none
     */
    void gather(int[] order, int from, int size, float[] gains, int[] shifts, NodeQuantizer q, FrameBatch batch);
}

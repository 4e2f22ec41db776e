package dev.pdq.train.spark;

import dev.pdq.train.corpus.FrameSet;

import java.io.Serializable;
import java.util.List;

/**
 * The training frames of one partition: the usable utterances of its files, in file order, peak-normalized and cut
 * into frames exactly as the single-process engine cuts them ({@link FrameSet#of}). One per partition, cached on its
 * executor.
 *
 * @param partition the partition's index
 * @param frames    its frames (none when no file of the partition was usable)
 * @param reports   one per file of the partition, in order
 * @param blas      the BLAS backend the executor that read it computes gradients with, for the log
 */
public record FrameBlock(int partition, FrameSet frames, List<SourceReport> reports, String blas)
        implements Serializable {
}

package dev.pdq.train.spark;

import java.io.Serializable;

/**
 * What every partition needs to know about an epoch, broadcast once per epoch: the visiting order of the global
 * frame indices, the utterances' gains and grid offsets (the shifted-grid augmentation), and where each partition's frames and utterances start in the global
 * numbering (the single-process engine's: files in order, utterances in order, frames in order).
 *
 * <p>Step j takes the frames {@code order[j*B .. j*B + B)}; partition p computes those of them that lie in
 * {@code [firstFrame[p], firstFrame[p] + its frame count)}, so the partitions' shares add up to exactly the step's
 * batch, and the step computes what the single-process engine computes.
 *
 * @param gains  per-utterance gains, or null for 1
 * @param shifts per-utterance grid offsets, or null for the unshifted grid
 */
public record EpochPlan(int epoch, int[] order, float[] gains, int[] shifts, int[] firstFrame, int[] firstUtterance)
        implements Serializable {
}

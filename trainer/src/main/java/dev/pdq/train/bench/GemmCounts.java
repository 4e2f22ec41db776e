package dev.pdq.train.bench;

import dev.pdq.train.loop.GradientMode;

/**
 * The gemm calls of one training step of one gradient worker, by shape (every call has 2 * B_w * n * k flops for a
 * worker of B_w frames):
 *
 * <pre>
 *   forward, per iteration:      Z = Y K^T (NO,YES) and Psi K (NO,NO)                          2L calls
 *   backward step:               dbarD K (NO,NO) and deltaP K^T (NO,YES); the first step only the latter
 *   gradient (outer products):   full: 2 per backward step; truncated: 2 in all (YES,NO)
 *   full:       NO,YES = 2L, NO,NO = 2L - 1, YES,NO = 2L                                   (6L - 1 calls)
 *   truncated:  NO,YES = L + b, NO,NO = L + b - 1, YES,NO = 2                               (2L + 2b + 1 calls)
 * </pre>
 *
 * (see {@link dev.pdq.train.grad.FullBackprop}, {@link dev.pdq.train.grad.TruncatedBackprop}).
 */
public record GemmCounts(long noYes, long noNo, long yesNo) {

    public static GemmCounts of(GradientMode mode, int iterations, int backpropSteps) {
        long l = iterations;
        if (mode == GradientMode.FULL) {
            return new GemmCounts(2 * l, 2 * l - 1, 2 * l);
        }
        long b = backpropSteps;
        return new GemmCounts(l + b, l + b - 1, 2);
    }

    public long total() {
        return noYes + noNo + yesNo;
    }
}

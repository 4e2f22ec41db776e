package dev.pdq.solver;

/**
 * The step sizes of the primal-dual iteration, the one rule the trainer and the runtime share: from the spectral
 * norm ||K|| and the ratio sigma/tau,
 *
 * <pre>
 *   sigma = sqrt(ratio) * SAFETY / ||K||,   tau = SAFETY / (sqrt(ratio) * ||K||),   so sigma * tau * ||K||^2 = SAFETY^2 < 1
 * </pre>
 *
 * computed in double and rounded once to the floats the solver uses. The paper's code has ratio 100 (sigma = 10 *
 * 0.99/||K||, tau = 0.1 * 0.99/||K||) and theta = 1.
 */
public final class StepSizes {
    /** sigma * tau * ||K||^2 = SAFETY^2 < 1. */
    public static final double SAFETY = 0.99;
    /** sigma / tau of the paper's code. */
    public static final double PAPER_RATIO = 100.0;
    /** theta of the paper. */
    public static final float PAPER_THETA = 1f;

    private StepSizes() {
    }

    /** sigma = sqrt(ratio) * SAFETY / norm, as a float. */
    public static float sigma(double norm, double ratio) {
        return (float) (Math.sqrt(ratio) * SAFETY / norm);
    }

    /** tau = SAFETY / (sqrt(ratio) * norm), as a float. */
    public static float tau(double norm, double ratio) {
        return (float) (SAFETY / (Math.sqrt(ratio) * norm));
    }

    /**
     * Null when the float steps for this norm and ratio are usable (norm finite and positive, sigma and tau normal
     * floats, sigma * tau * ||K||^2 < 1 with the rounded steps), else what is wrong.
     */
    public static String problem(double norm, double ratio) {
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return "has spectral norm " + norm + ": no step sizes with sigma*tau*||K||^2 < 1";
        }
        float s = sigma(norm, ratio);
        float t = tau(norm, ratio);
        boolean normal = Float.isFinite(s) && Float.isFinite(t) && s >= Float.MIN_NORMAL && t >= Float.MIN_NORMAL;
        double product = (double) s * t * norm * norm;
        if (!normal || !(product < 1)) {
            return "has spectral norm " + norm + ": sigma = " + s + ", tau = " + t + " give sigma*tau*||K||^2 = "
                    + product + " (need normal floats and a product < 1)";
        }
        return null;
    }
}

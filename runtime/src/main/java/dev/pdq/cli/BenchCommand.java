package dev.pdq.cli;

import dev.pdq.bench.EndToEnd;
import dev.pdq.bench.SolverThroughput;
import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasCeiling;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.BlasUnavailableException;
import dev.pdq.blas.Blases;
import dev.pdq.device.DeviceProfile;
import dev.pdq.engine.Engine;
import dev.pdq.engine.EngineSettings;
import dev.pdq.operator.Operator;
import dev.pdq.solver.FrameParallelSolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * pdq bench: solver throughput against the raw BLAS ceiling at the same shapes, measured in the same run, for
 * each backend, and the end-to-end real-time factor of dequantize. Prints Markdown tables to stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure solver throughput (frame-iterations/s) against the raw BLAS ceiling at the same"
                + " shapes, and the end-to-end real-time factor of dequantize. Tables go to stderr."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backends", split = ",", paramLabel = "BACKEND", defaultValue = "native,java",
            converter = BackendOptions.Names.class,
            description = "Backends to measure (default: ${DEFAULT-VALUE}); one that cannot load is reported.")
    List<BlasChoice> backends;

    @Option(names = {"-L", "--iterations"}, paramLabel = "L", defaultValue = "100",
            description = "Iterations per solve in the throughput runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
            description = "Seconds of generated audio for the real-time factor (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--quick", description = "Shorter timing runs (noisier).")
    boolean quick;

    @Mixin
    EngineOptions engine = new EngineOptions();

    /** Rounds of (ceiling, solver) measurements whose medians are reported. */
    private static final int ROUNDS = 3;

    @Override
    public Integer call() throws Exception {
        EngineSettings engineSettings = engine.settings();
        DeviceProfile profile = Engine.profile(engineSettings);
        Engine.Model chosen = Engine.model(engineSettings, 4, null);
        int workers = Engine.solverThreads(engineSettings, profile);
        BlasOptions options = Engine.blasOptions(engineSettings, profile, workers);
        Operator model = chosen.operator();
        int[] batches = BlasCeiling.BATCHES;
        SolverThroughput.Settings settings = quick
                ? new SolverThroughput.Settings(320, 320, batches, iterations, 0.3, 0.1, 3)
                : new SolverThroughput.Settings(320, 320, batches, iterations, 1.0, 0.3, 5);
        long ceilingNanos = (quick ? 150 : 400) * 1_000_000L;
        StringBuilder solverTable = new StringBuilder(
                "| backend | B | solver frame-it/s | solver GFLOP/s | ceiling frame-it/s | share of ceiling |\n"
                        + "| --- | --- | --- | --- | --- | --- |\n");
        StringBuilder rtfTable = new StringBuilder(
                "| backend | B | S | L | audio s | compute s | real-time factor |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        List<double[]> at32 = new ArrayList<>();
        for (BlasChoice name : backends) {
            Blas blas;
            try {
                blas = Blases.select(name, options);
            } catch (BlasUnavailableException e) {
                System.err.println("pdq bench: backend " + name + " skipped: " + e.getMessage());
                continue;
            }
            System.err.println("pdq bench: measuring " + blas.name() + " (" + blas.description() + ") ...");
            // Ceiling and solver alternate, ROUNDS times, and medians are reported: on a shared machine a
            // burst of load then hits both sides of a ratio instead of one.
            double[][] solverRates = new double[batches.length][ROUNDS];
            double[][] ceilingRates = new double[batches.length][ROUNDS];
            double[][] shares = new double[batches.length][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                List<BlasCeiling.Result> ceiling = BlasCeiling.measure(blas, 320, batches, ceilingNanos);
                List<SolverThroughput.Result> solver = SolverThroughput.run(blas, settings, workers);
                for (int i = 0; i < batches.length; i++) {
                    solverRates[i][round] = solver.get(i).medianRate;
                    ceilingRates[i][round] = FrameParallelSolver.parts(workers, batches[i]) > 1
                            ? BlasCeiling.parallelFrameIterations(blas, 320, batches[i], workers, ceilingNanos)
                            : ceilingFrameIterations(ceiling, batches[i]);
                    shares[i][round] = solverRates[i][round] / ceilingRates[i][round];
                }
            }
            for (int i = 0; i < batches.length; i++) {
                double rate = median(solverRates[i]);
                solverTable.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.3g | %.4g | %.0f%% |%n",
                        blas.name(), batches[i], rate,
                        rate * SolverThroughput.flopsPerFrameIteration(320, 320) * 1e-9,
                        median(ceilingRates[i]), 100 * median(shares[i])));
                if (batches[i] == 32) {
                    at32.add(new double[] {rate});
                }
            }
            int shifts = Math.max(1, model.shifts());
            for (int b : new int[] {1, profile.batch()}) {
                EndToEnd.Result e = EndToEnd.run(blas, model, b, shifts, chosen.iterations(), seconds, workers);
                rtfTable.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.3f | %.4f |%n",
                        e.backend(), e.batch(), e.shifts(), e.iterations(), e.audioSeconds(), e.computeSeconds(),
                        e.realTimeFactor()));
            }
        }
        System.err.println();
        System.err.println("Solver throughput, n = k = 320, L = " + iterations + ", " + (workers > 1 ? workers
                + " solver threads (a share of each batch's frames each, over a single-threaded BLAS; ceiling: the"
                + " two raw BLAS calls of one iteration at the same shares, the threads at once," : "1 solver thread"
                + " (ceiling: the two raw BLAS calls of one iteration at the same shape,") + " timed in this run)");
        System.err.println(solverTable);
        System.err.println("End-to-end dequantize with the default model (its S and L)");
        System.err.println(rtfTable);
        if (at32.size() == 2) {
            System.err.printf(Locale.ROOT, "%s / %s at B = 32: %.2fx%n", backends.get(0), backends.get(1),
                    at32.get(0)[0] / at32.get(1)[0]);
        }
        return ExitCodes.OK;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /**
     * The ceiling of one solver iteration at batch B: its two BLAS calls back to back, each at its measured speed
     * (sgemv NO then YES for B = 1; sgemm NO,YES then NO,NO otherwise), in frame-iterations per second.
     */
    static double ceilingFrameIterations(List<BlasCeiling.Result> ceiling, int batch) {
        double seconds = 0;
        for (BlasCeiling.Result c : ceiling) {
            boolean gemv = c.operation().startsWith("sgemv");
            if (batch == 1 ? gemv : !gemv && c.batch() == batch) {
                seconds += c.secondsPerCall();
            }
        }
        return batch / seconds;
    }
}

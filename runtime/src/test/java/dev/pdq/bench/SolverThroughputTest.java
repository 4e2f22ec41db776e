package dev.pdq.bench;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasCeiling;
import dev.pdq.blas.JavaBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the benchmark at a tiny size: it works and reports sane numbers. No timing is asserted. */
class SolverThroughputTest {

    @ParameterizedTest
    @MethodSource("dev.pdq.testing.Backends#all")
    void runsAndReportsPositiveRates(Blas blas) {
        SolverThroughput.Settings s = new SolverThroughput.Settings(24, 20, new int[] {1, 3}, 5, 0.01, 0.005, 3);
        List<SolverThroughput.Result> results = SolverThroughput.run(blas, s);
        assertEquals(2, results.size());
        for (int i = 0; i < 2; i++) {
            SolverThroughput.Result r = results.get(i);
            assertEquals(s.batches[i], r.batch);
            assertEquals(24, r.n);
            assertEquals(20, r.k);
            assertEquals(3, r.repetitions);
            assertEquals(blas.name(), r.backend);
            assertTrue(r.minRate > 0 && Double.isFinite(r.maxRate), r.toString());
            assertTrue(r.minRate <= r.medianRate && r.medianRate <= r.maxRate, r.toString());
            assertEquals(r.medianRate * 4 * 24 * 20 / 1e9, r.gflops(), 1e-12 * r.gflops());
        }
        String table = SolverThroughput.table(results);
        assertEquals(4, table.split("\n").length, table);
    }

    /**
     * Split over solver threads as dequantize runs it, and its ceiling of the same shares, threads at once. On the
     * Java backend: concurrent calls into the native one are FrameParallelSolverTest's (see the pom's arm64 profile).
     */
    @Test
    void framesInParallelAndTheirCeilingReportPositiveRates() {
        Blas blas = new JavaBlas();
        SolverThroughput.Settings s = new SolverThroughput.Settings(24, 24, new int[] {1, 2, 5}, 5, 0.01, 0.005, 3);
        List<SolverThroughput.Result> results = SolverThroughput.run(blas, s, 3);
        assertEquals(3, results.size());
        for (SolverThroughput.Result r : results) {
            assertTrue(r.minRate > 0 && Double.isFinite(r.maxRate), r.toString());
        }
        for (int batch : new int[] {2, 5}) {
            double ceiling = BlasCeiling.parallelFrameIterations(blas, 24, batch, 3, 5_000_000L);
            assertTrue(ceiling > 0 && Double.isFinite(ceiling), batch + ": " + ceiling);
        }
    }

    @Test
    void defaultsAreTheIssuesShapes() {
        SolverThroughput.Settings d = SolverThroughput.defaults();
        assertEquals(320, d.n);
        assertEquals(320, d.k);
        assertEquals(List.of(1, 8, 32, 128), java.util.Arrays.stream(d.batches).boxed().toList());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> new SolverThroughput.Settings(0, 20, new int[] {1}, 5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SolverThroughput.Settings(24, 20, new int[] {}, 5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SolverThroughput.Settings(24, 20, new int[] {0}, 5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SolverThroughput.Settings(24, 20, new int[] {1}, 5, Double.NaN, 0, 1));
    }
}

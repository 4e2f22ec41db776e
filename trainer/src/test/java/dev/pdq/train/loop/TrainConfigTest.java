package dev.pdq.train.loop;

import dev.pdq.quant.Scheme;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.grad.LossSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder of TrainConfig: its defaults, every field reaching the record, and the record's checks. */
class TrainConfigTest {
    @Test
    void defaultsAreTheTrainCommandsDefaults() {
        TrainConfig c = TrainConfig.builder().build();
        assertEquals(new TrainConfig(GradientMode.TRUNCATED, 100, 30, 1f, 20, 32, 1e-5, 1e-8, 1, 0, 0, 4, Level.peak(),
                1e6, false, 1, Scheme.UNIFORM, 0, false, List.of(), LossSpec.MSE), c);
    }

    @Test
    void everyFieldIsSet() {
        Level level = Level.fixed(-12, -6);
        TrainConfig c = TrainConfig.builder().mode(GradientMode.FULL).iterations(25).backpropSteps(7)
                .alpha(Float.NaN).epochs(3).batch(64).learningRate(2e-5, 1e-6).seed(9).patience(2).stepsPerEpoch(50)
                .bits(5).level(level).explodeFactor(1e3).shiftGrid(true).trainGrids(4).scheme(Scheme.BFP, 32).balanceCorpora(true)
                .validLevels(List.of(-20.0)).loss(new LossSpec(LossSpec.Kind.WEIGHTED, 0.25)).build();
        assertEquals(new TrainConfig(GradientMode.FULL, 25, 7, Float.NaN, 3, 64, 2e-5, 1e-6, 9, 2, 50, 5, level, 1e3,
                true, 4, Scheme.BFP, 32, true, List.of(-20.0), new LossSpec(LossSpec.Kind.WEIGHTED, 0.25)), c);
        assertEquals("weighted 0.25", c.fingerprint().get("loss"));
        assertEquals("true", c.fingerprint().get("balance-corpora"));
        assertEquals("bfp 32", c.fingerprint().get("scheme"));
        assertEquals(Scheme.BFP, c.nodeQuantizer().scheme());
        Map<String, String> f = c.fingerprint();
        assertEquals("full", f.get("mode"));
        assertEquals("r", f.get("alpha"));
        assertEquals("2.0E-5", f.get("lr-start"));
        assertEquals("true", f.get("shift-grid"));
        assertEquals("4", f.get("train-grids"));
    }

    @Test
    void buildChecksTheFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().trainGrids(64).batch(32).build());
        assertTrue(e.getMessage().contains("train grids 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().learningRate(0, 1e-8).build());
        assertFalse(TrainConfig.builder().build().fingerprint().containsKey("shift-grid"));
    }
}

package dev.pdq.train.loop;

import dev.pdq.operator.Dct;
import dev.pdq.operator.ModelFile;
import dev.pdq.train.grad.GradientMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    @TempDir
    Path dir;

    /** Thrown by a sink to stop a run right after a checkpoint, as a kill would. */
    static final class Killed extends RuntimeException {
    }

    private static TrainState train(TrainConfig cfg, TrainState state, GradientMethod g, Trainer.EpochSink sink)
            throws IOException {
        try (g) {
            return new Trainer(cfg, TinyRun.frames(), g, TinyRun.validator(), sink, new Progress.NoProgress())
                    .run(state);
        }
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void resumingAfterAKillGivesTheSameKBitForBit(int threads) throws IOException {
        TrainConfig cfg = TinyRun.config(3, 1e-2, 1e-3, 0);
        Path straightDir = dir.resolve("straight");
        TrainState straight = train(cfg, TinyRun.fresh(), TinyRun.gradient(cfg, threads),
                TinyRun.directory(straightDir, cfg));

        Path killedDir = dir.resolve("killed");
        RunDirectory killedRun = TinyRun.directory(killedDir, cfg);
        assertThrows(Killed.class, () -> train(cfg, TinyRun.fresh(), TinyRun.gradient(cfg, threads), s -> {
            killedRun.epochEnd(s);
            if (s.epochsDone() == 1) {
                throw new Killed();
            }
        }));
        Checkpoint.Loaded loaded = Checkpoint.read(killedRun.checkpointFile());
        assertEquals(1, loaded.state().epochsDone());
        TrainState resumed = train(cfg, loaded.state(), TinyRun.gradient(cfg, threads), killedRun);

        assertTrue(straight.sameAs(resumed), "K, Adam, norm vector, counters and best K all equal");
        assertArrayEquals(straight.operator(), resumed.operator(), 0f);
        assertArrayEquals(ModelFile.read(straightDir.resolve(RunDirectory.MODEL)).matrix(),
                ModelFile.read(killedDir.resolve(RunDirectory.MODEL)).matrix(), 0f);
        assertEquals(4, resumed.log().size(), "epoch 0 (initial K) and epochs 1..3");
        for (int e = 0; e < 4; e++) {
            assertEquals(straight.log().get(e).validMse(), resumed.log().get(e).validMse(), 0.0);
            assertEquals(straight.log().get(e).trainMse(), resumed.log().get(e).trainMse(), 0.0);
        }
        List<String> csv = Files.readAllLines(killedDir.resolve(RunDirectory.LOG));
        assertEquals(EpochRecord.CSV_HEADER, csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(Files.size(killedDir.resolve(LearningCurves.MSE_PNG)) > 1000);
        assertTrue(Files.size(killedDir.resolve(LearningCurves.SNR_PNG)) > 1000);
    }

    @Test
    void trainingLowersTheValidationMse() throws IOException {
        TrainConfig cfg = TinyRun.config(4, 1e-2, 1e-3, 0);
        TrainState s = train(cfg, TinyRun.fresh(), TinyRun.gradient(cfg, 1), st -> { });
        EpochRecord initial = s.log().get(0);
        EpochRecord last = s.log().get(s.log().size() - 1);
        assertTrue(last.validMse() < initial.validMse(), "validation MSE " + initial.validMse() + " -> "
                + last.validMse());
        assertTrue(last.trainMse() < s.log().get(1).trainMse(), "training MSE " + s.log().get(1).trainMse() + " -> "
                + last.trainMse());
        assertTrue(s.bestEpoch() > 0);
        assertEquals(4L * 12, s.step(), "48 frames in batches of 4, 4 epochs");
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodModel() throws IOException {
        TrainConfig cfg = TinyRun.config(3, 1e-2, 1e-3, 0);
        RunDirectory run = TinyRun.directory(dir, cfg);
        long badStep = 12 + 5; // step 6 of epoch 2
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(cfg,
                TinyRun.fresh(), Faulty.of(TinyRun.gradient(cfg, 1), badStep, Faulty.Fault.NAN_LOSS), run));
        assertEquals(2, e.epoch());
        assertEquals(badStep, e.step());
        assertTrue(e.getMessage().contains("epoch 2 at step 6") && e.getMessage().contains("NaN"), e.getMessage());
        Checkpoint.Loaded last = Checkpoint.read(run.checkpointFile());
        assertEquals(1, last.state().epochsDone());
        assertArrayEquals(last.state().bestOperator(), ModelFile.read(run.modelFile()).matrix(), 0f);
    }

    @Test
    void aNonFiniteGradientOrAnExplodingLossStopsTheRun() {
        TrainConfig cfg = TinyRun.config(2, 1e-2, 1e-3, 0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(cfg,
                TinyRun.fresh(), Faulty.of(TinyRun.gradient(cfg, 1), 3, Faulty.Fault.INFINITE_GRADIENT), s -> { }));
        assertTrue(e.getMessage().contains("gradient is not finite"), e.getMessage());
        assertEquals(1, e.epoch());
        e = assertThrows(TrainingDivergedException.class, () -> train(cfg, TinyRun.fresh(),
                Faulty.of(TinyRun.gradient(cfg, 1), 20, Faulty.Fault.HUGE_LOSS), s -> { }));
        assertTrue(e.getMessage().contains("exploded"), e.getMessage());
        assertEquals(2, e.epoch());
    }

    @Test
    void patienceStopsEarlyAndKeepsTheBestK() throws IOException {
        TrainConfig cfg = TinyRun.config(6, 1e-2, 1e-3, 2);
        int[] calls = {0};
        Validation.Validator worse = k -> {
            double mse = 1e-3 * (1 + calls[0]++); // every epoch worse than the initial K
            return new Validation(mse, 10, 10, 5);
        };
        RunDirectory run = TinyRun.directory(dir, cfg);
        TrainState s;
        try (GradientMethod g = TinyRun.gradient(cfg, 1)) {
            s = new Trainer(cfg, TinyRun.frames(), g, worse, run, new Progress.NoProgress()).run(TinyRun.fresh());
        }
        assertTrue(s.stoppedEarly());
        assertEquals(2, s.epochsDone());
        assertEquals(0, s.bestEpoch());
        assertArrayEquals(Dct.orthonormalDct2(TinyRun.N), ModelFile.read(run.modelFile()).matrix(), 0f);
        assertFalse(s.log().get(2).best());
    }

    @Test
    void permutationsAreSeededPerEpoch() {
        int[] a = Trainer.permutation(100, 5, 1);
        assertArrayEquals(a, Trainer.permutation(100, 5, 1));
        assertFalse(java.util.Arrays.equals(a, Trainer.permutation(100, 5, 2)));
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    /**
     * A real gradient method that injects a fault at one call of lossAndGradient (counted over both overloads);
     * every other method goes to the real one unchanged (a dynamic proxy, so nothing else is restated).
     */
    static final class Faulty implements InvocationHandler {
        enum Fault { NAN_LOSS, INFINITE_GRADIENT, HUGE_LOSS }

        private final GradientMethod inner;
        private final long atCall;
        private final Fault fault;
        private long calls;

        private Faulty(GradientMethod inner, long atCall, Fault fault) {
            this.inner = inner;
            this.atCall = atCall;
            this.fault = fault;
        }

        static GradientMethod of(GradientMethod inner, long atCall, Fault fault) {
            return (GradientMethod) Proxy.newProxyInstance(GradientMethod.class.getClassLoader(),
                    new Class<?>[] {GradientMethod.class}, new Faulty(inner, atCall, fault));
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(inner, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (!method.getName().equals("lossAndGradient") || calls++ != atCall) {
                return result;
            }
            switch (fault) {
                case NAN_LOSS:
                    return Double.NaN;
                case INFINITE_GRADIENT:
                    float[] gradOut = (float[]) args[args.length - 1];
                    gradOut[7] = Float.POSITIVE_INFINITY;
                    return result;
                default:
                    return (Double) result * 1e7;
            }
        }
    }

    /** Balanced epochs: every corpus the same share (one more for the first count mod C), valid, reproducible. */
    @Test
    void balancedEpochsGiveEveryCorpusTheSameShare() {
        int[] corpusOf = new int[1000];
        for (int e = 0; e < corpusOf.length; e++) {
            corpusOf[e] = e < 900 ? 0 : e < 990 ? 1 : 2; // 900, 90 and 10 examples
        }
        int[] order = Trainer.balanced(corpusOf, 7, 3);
        assertEquals(1000, order.length);
        int[] share = new int[3];
        java.util.Set<Integer> fromLarge = new java.util.HashSet<>();
        for (int e : order) {
            share[corpusOf[e]]++;
            if (corpusOf[e] == 0) {
                assertTrue(fromLarge.add(e), "the large corpus is sampled without repetition");
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {334, 333, 333}, share);
        org.junit.jupiter.api.Assertions.assertArrayEquals(order, Trainer.balanced(corpusOf, 7, 3));
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(order, Trainer.balanced(corpusOf, 7, 4)));
    }
}

package dev.pdq.train.spark;

import dev.pdq.audio.SampleEncoding;
import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.BlasUnavailableException;
import dev.pdq.blas.Blases;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.grad.LossSpec;
import dev.pdq.train.loop.Checkpoint;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Gradients;
import dev.pdq.train.loop.LocalStepGradient;
import dev.pdq.train.loop.OperatorNorm;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.run.TrainingRun;
import dev.pdq.train.testing.Wavs;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine in local mode against the single-process engine, on a small corpus of WAV files read through
 * Hadoop's file: file system. One context (local[2,4]: two cores, a failed task tried up to 4 times) for the class.
 */
class SparkTrainingTest {
    private static final int RATE = 16000;
    private static final int N = 32;
    /** |spark - single| of a gradient element, relative to the largest element: float rounding of the split sum. */
    private static final double GRADIENT_TOLERANCE = 2e-5;
    /** Relative difference of a step's loss. */
    private static final double LOSS_TOLERANCE = 1e-6;
    /** Relative difference of the validation MSE after a short run: rounding differences carried through Adam. */
    private static final double RUN_MSE_TOLERANCE = 1e-5;

    @TempDir
    static Path dir;

    private static JavaSparkContext sc;
    private static Path train;
    private static Path valid;
    private static final AtomicInteger FAILED_TASKS = new AtomicInteger();
    private static TrainingRun.Result baseline;

    @BeforeAll
    static void start() throws IOException {
        train = Wavs.speechCorpus(dir, "train", 7, RATE, 10);
        // a stereo file (two utterances) and a file that is not audio (skipped) in the middle of the list
        float[] stereo = new float[2 * 1200];
        float[] a = Wavs.smooth(3, 1200, RATE, 900, 0.6);
        float[] b = Wavs.smooth(4, 1200, RATE, 700, 0.3);
        for (int t = 0; t < 1200; t++) {
            stereo[2 * t] = a[t];
            stereo[2 * t + 1] = b[t];
        }
        Wavs.write(train.resolve("train3s.wav"), SampleEncoding.S16LE, 2, RATE, stereo);
        Files.writeString(train.resolve("train4notes.txt"), "not audio: skipped with a warning");
        valid = Wavs.speechCorpus(dir, "valid", 2, RATE, 20);
        sc = SparkContexts.start("local[2,4]");
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static Stream<Arguments> backendsAndPartitions() {
        List<Arguments> list = new ArrayList<>();
        List<BlasChoice> backends = new ArrayList<>(List.of(BlasChoice.JAVA));
        try {
            Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT.withThreads(1));
            backends.add(BlasChoice.NATIVE);
        } catch (BlasUnavailableException e) {
            System.err.println("SparkTrainingTest: native BLAS not available, its cases are skipped");
        }
        for (BlasChoice b : backends) {
            for (int p : new int[] {1, 2, 3}) {
                list.add(Arguments.of(b, p));
            }
        }
        return list.stream();
    }

    private static TrainConfig config(int epochs, Level level) {
        return config(epochs, level, false);
    }

    private static TrainConfig config(int epochs, Level level, boolean shiftGrid) {
        return TrainConfig.builder().mode(GradientMode.TRUNCATED).iterations(5).backpropSteps(3).alpha(1f)
                .epochs(epochs).batch(16).learningRate(1e-3, 1e-4).seed(7).bits(4).level(level).shiftGrid(shiftGrid)
                .build();
    }

    private static List<UtteranceSource> sources(Path folder) throws IOException {
        List<UtteranceSource> list = new ArrayList<>();
        for (String f : HadoopFiles.list(List.of(folder.toUri().toString()), sc.hadoopConfiguration())) {
            list.add(new UtteranceSource.HadoopWav(f));
        }
        return list;
    }

    @ParameterizedTest(name = "{0} BLAS, {1} partition(s)")
    @MethodSource("backendsAndPartitions")
    void oneStepGivesTheSingleProcessLossAndGradient(BlasChoice backend, int partitions) throws IOException {
        // random gains and shifted grids per utterance: each partition must take its utterances' own
        TrainConfig cfg = config(1, Level.fixed(-12, 0), true);
        Quantizer quantizer = new Quantizer(cfg.bits());
        Blas blas = Blases.select(backend, BlasOptions.DEFAULT.withThreads(1));
        Corpus corpus = CorpusReader.read(CorpusReader.listFiles(List.of(train)), RATE, "training");
        FrameSet local = FrameSet.of(corpus.utterances(), N);
        ExecutorSpec spec = ExecutorSpec.of(cfg, N, N, quantizer.halfWidth(), cfg.batch(), backend, null);
        float[] k = dev.pdq.operator.Dct.orthonormalDct2(N);
        OperatorNorm norm = new OperatorNorm(N, N);
        norm.update(k);
        float sigma = norm.sigma(Trainer.STEP_RATIO);
        float tau = norm.tau(Trainer.STEP_RATIO);
        try (DistributedFrames frames = DistributedFrames.load(sc, sources(train), partitions, N, RATE, spec,
                "training");
             SparkStepGradient spark = new SparkStepGradient(sc, frames, spec, 2, null);
             LocalStepGradient single = new LocalStepGradient(local, Gradients.create(blas, cfg, N, N, 1,
                     quantizer.halfWidth()), quantizer)) {
            assertEquals(local.count(), frames.frames(), "the same frames");
            assertEquals(local.utterances(), frames.utterances(), "the same utterances (stereo: two)");
            assertEquals(9, frames.reports().size());
            assertEquals(1, frames.reports().stream().filter(r -> r.problem() != null).count(), "the text file");
            int epoch = 2;
            int[] order = Trainer.permutation(local.count(), cfg.seed(), epoch);
            float[] gains = cfg.level().trainingGains(cfg.seed(), epoch, local.utterances());
            int[] shifts = single.shifts(cfg.seed(), epoch);
            assertArrayEquals(shifts, spark.shifts(cfg.seed(), epoch));
            spark.startEpoch(epoch, order, gains, shifts);
            single.startEpoch(epoch, order, gains, shifts);
            int from = 3 * cfg.batch();
            float[] gs = new float[N * N];
            float[] gl = new float[N * N];
            double ls = spark.lossAndGradient(k, sigma, tau, from, cfg.batch(), gs);
            double ll = single.lossAndGradient(k, sigma, tau, from, cfg.batch(), gl);
            assertEquals(ll, ls, LOSS_TOLERANCE * ll, "loss");
            if (partitions == 1) {
                // one partition computes the same frames in the same order with the same code: bit for bit
                assertArrayEquals(gl, gs, 0f);
            }
            assertGradientsAgree(gl, gs);
            // the epoch's last, smaller step too
            int last = (local.count() - 1) / cfg.batch() * cfg.batch();
            int size = local.count() - last;
            ls = spark.lossAndGradient(k, sigma, tau, last, size, gs);
            ll = single.lossAndGradient(k, sigma, tau, last, size, gl);
            assertEquals(ll, ls, LOSS_TOLERANCE * ll, "loss of the last step");
        }
    }

    @Test
    void oneStepWithTheWeightedLossGivesTheSingleProcessLossAndGradient() throws IOException {
        // the executors build the loss from the spec: the same weighted loss as the single process's workers
        TrainConfig cfg = config(1, Level.peak());
        LossSpec loss = new LossSpec(LossSpec.Kind.WEIGHTED, 0.5);
        Quantizer quantizer = new Quantizer(cfg.bits());
        Blas blas = Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT.withThreads(1));
        FrameSet local = FrameSet.of(CorpusReader.read(CorpusReader.listFiles(List.of(train)), RATE, "training")
                .utterances(), N);
        ExecutorSpec spec = ExecutorSpec.of(cfg, N, N, quantizer.halfWidth(), cfg.batch(), BlasChoice.JAVA, null,
                loss, RATE);
        float[] k = dev.pdq.operator.Dct.orthonormalDct2(N);
        OperatorNorm norm = new OperatorNorm(N, N);
        norm.update(k);
        try (DistributedFrames frames = DistributedFrames.load(sc, sources(train), 2, N, RATE, spec, "training");
             SparkStepGradient spark = new SparkStepGradient(sc, frames, spec, 2, null);
             LocalStepGradient single = new LocalStepGradient(local, Gradients.create(blas, cfg, local, N, N, 1,
                     quantizer.halfWidth(), loss, RATE), quantizer);
             LocalStepGradient plain = new LocalStepGradient(local, Gradients.create(blas, cfg, N, N, 1,
                     quantizer.halfWidth()), quantizer)) {
            int[] order = Trainer.permutation(local.count(), cfg.seed(), 1);
            spark.startEpoch(1, order, null, null);
            single.startEpoch(1, order, null, null);
            plain.startEpoch(1, order, null, null);
            float[] gs = new float[N * N];
            float[] gl = new float[N * N];
            float[] gp = new float[N * N];
            float sigma = norm.sigma(Trainer.STEP_RATIO);
            float tau = norm.tau(Trainer.STEP_RATIO);
            double ls = spark.lossAndGradient(k, sigma, tau, cfg.batch(), cfg.batch(), gs);
            double ll = single.lossAndGradient(k, sigma, tau, cfg.batch(), cfg.batch(), gl);
            double lp = plain.lossAndGradient(k, sigma, tau, cfg.batch(), cfg.batch(), gp);
            assertEquals(ll, ls, LOSS_TOLERANCE * ll, "loss");
            assertTrue(Math.abs(lp - ll) > 1e-3 * lp, "the weighted loss " + ll + " is not the squared error " + lp);
            assertGradientsAgree(gl, gs);
        }
    }

    /** The Spark gradient gs is the single process's gl within GRADIENT_TOLERANCE of its largest element. */
    private static void assertGradientsAgree(float[] gl, float[] gs) {
        double max = 0;
        double diff = 0;
        for (int i = 0; i < gl.length; i++) {
            max = Math.max(max, Math.abs(gl[i]));
            diff = Math.max(diff, Math.abs(gl[i] - gs[i]));
        }
        assertTrue(max > 0, "a gradient that is not zero");
        assertTrue(diff <= GRADIENT_TOLERANCE * max, "max |spark - single| = " + diff + ", max |g| = " + max);
    }

    /** Reads a WAV file through Hadoop and counts the reads (local mode: the executors are this JVM). */
    record CountingSource(String uri) implements UtteranceSource {
        static final AtomicInteger READS = new AtomicInteger();

        @Override
        public String name() {
            return uri;
        }

        @Override
        public dev.pdq.train.corpus.CorpusReader.Decoded read(org.apache.hadoop.conf.Configuration conf,
                                                              int sampleRate) throws IOException {
            READS.incrementAndGet();
            return new UtteranceSource.HadoopWav(uri).read(conf, sampleRate);
        }
    }

    @Test
    void theFramesAreReadOnceInThePartitionsAndStayCached() throws IOException {
        TrainConfig cfg = config(1, Level.peak());
        Quantizer quantizer = new Quantizer(cfg.bits());
        ExecutorSpec spec = ExecutorSpec.of(cfg, N, N, quantizer.halfWidth(), 4, BlasChoice.JAVA, null);
        List<UtteranceSource> counting = new ArrayList<>();
        for (UtteranceSource s : sources(train)) {
            counting.add(new CountingSource(s.name()));
        }
        int before = CountingSource.READS.get();
        float[] k = dev.pdq.operator.Dct.orthonormalDct2(N);
        try (DistributedFrames frames = DistributedFrames.load(sc, counting, 2, N, RATE, spec, "training");
             SparkStepGradient g = new SparkStepGradient(sc, frames, spec, 1, null)) {
            g.startEpoch(1, Trainer.permutation(frames.frames(), 1, 1), null, null);
            float[] grad = new float[N * N];
            for (int step = 0; step < 5; step++) {
                g.lossAndGradient(k, 0.5f, 0.05f, step * cfg.batch(), cfg.batch(), grad);
            }
            assertEquals(5, g.timing().steps());
            assertEquals(5L * cfg.batch(), g.timing().frames());
        }
        assertEquals(counting.size(), CountingSource.READS.get() - before, "every file read once, on loading");
    }

    private static TrainingRun.Recipe recipe(TrainConfig cfg, boolean resume) {
        Operator dct = TrainingRun.dctInitial(N, cfg.bits(), RATE, cfg.iterations());
        return new TrainingRun.Recipe(cfg, dct, "dct", "test corpus", resume);
    }

    private static TrainingRun.Result sparkRun(TrainConfig cfg, String out, boolean resume, TaskHook hook)
            throws IOException {
        SparkTraining.Request r = new SparkTraining.Request(recipe(cfg, resume),
                new SparkTraining.Folders(List.of(train.toUri().toString()), List.of(valid.toUri().toString()),
                        List.of(), List.of(), 0.1, 0.1, 1),
                out, new SparkTraining.Cluster(null, 3, 0, 2), BlasChoice.JAVA, null, hook);
        return SparkTraining.run(sc, r, Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT), 1,
                new Progress.NoProgress());
    }

    /** The uninterrupted Spark run every fault test compares with. */
    private static synchronized TrainingRun.Result baseline() throws IOException {
        if (baseline == null) {
            baseline = sparkRun(config(3, Level.peak()), dir.resolve("baseline").toUri().toString(), false, null);
        }
        return baseline;
    }

    @Test
    void aShortRunReachesTheSingleProcessValidationMse() throws IOException {
        TrainConfig cfg = config(3, Level.peak());
        TrainingRun.Result spark = baseline();
        Path out = dir.resolve("single");
        TrainingRun.Spec spec = new TrainingRun.Spec(cfg, recipe(cfg, false).initial(), "dct",
                new Split<>(CorpusReader.listFiles(List.of(train)), CorpusReader.listFiles(List.of(valid)), List.of()),
                "test corpus", out, false);
        TrainingRun.Result single = TrainingRun.run(spec, Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT), 2,
                new Progress.NoProgress());
        List<EpochRecord> a = single.state().log();
        List<EpochRecord> b = spark.state().log();
        assertEquals(4, b.size(), "epochs 0..3");
        assertEquals(a.get(0).validMse(), b.get(0).validMse(), 0.0, "the same initial K, validated the same way");
        assertTrue(a.get(3).validMse() < 0.98 * a.get(0).validMse(), "training moved K: " + a.get(0).validMse()
                + " -> " + a.get(3).validMse());
        for (int e = 1; e <= 3; e++) {
            assertEquals(a.get(e).validMse(), b.get(e).validMse(), RUN_MSE_TOLERANCE * a.get(e).validMse(),
                    "validation MSE after epoch " + e);
            assertEquals(a.get(e).trainMse(), b.get(e).trainMse(), RUN_MSE_TOLERANCE * a.get(e).trainMse(),
                    "training MSE of epoch " + e);
            assertEquals(a.get(e).steps(), b.get(e).steps());
        }
        Path sparkOut = dir.resolve("baseline");
        Operator model = ModelFile.read(sparkOut.resolve(RunDirectory.MODEL));
        assertTrue(model.provenance().contains("engine: Spark 4.0"), model.provenance());
        assertTrue(model.provenance().contains("3 partitions"), model.provenance());
        assertEquals(List.of(".." , "checkpoint.pdqt", "curves-mse.png", "curves-snr.png", "model.pdqk",
                "split-test.txt", "split-train.txt", "split-valid.txt", "train.csv").subList(1, 9),
                listing(sparkOut), "every file renamed into place: no temporary or .crc file left");
        assertEquals(8, Files.readAllLines(sparkOut.resolve("split-train.txt")).size(), "9 files, one skipped");
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedTaskIsRetriedWithoutChangingTheResult() throws IOException {
        TrainingRun.Result clean = baseline();
        int failedBefore = FAILED_TASKS.get();
        // the first attempt of every task of steps 2, 7 and 20 fails (partition 1's: a fault on one executor)
        TaskHook failFirstAttempts = (step, partition, attempt) -> {
            if ((step == 2 || step == 7 || step == 20) && partition == 1 && attempt == 0) {
                throw new IllegalStateException("injected fault: step " + step + ", partition " + partition);
            }
        };
        TrainingRun.Result faulty = sparkRun(config(3, Level.peak()), dir.resolve("faulty").toUri().toString(), false,
                failFirstAttempts);
        assertEquals(3, FAILED_TASKS.get() - failedBefore, "three tasks failed once and were retried");
        assertTrue(clean.state().sameAs(faulty.state()), "K, Adam, norm vector, counters, best K all equal");
        assertArrayEquals(clean.state().operator(), faulty.state().operator(), 0f);
    }

    @Test
    void resumingAfterACrashGivesTheUninterruptedResult() throws IOException {
        TrainingRun.Result clean = baseline();
        TrainConfig cfg = config(3, Level.peak());
        int steps = cfg.stepsPerEpoch(clean.frames());
        long crashStep = steps + 2; // in epoch 2: every attempt fails, the job and the run are lost
        String out = dir.resolve("crashed").toUri().toString();
        SparkException crash = assertThrows(SparkException.class, () -> sparkRun(cfg, out, false,
                (step, partition, attempt) -> {
                    if (step == crashStep) {
                        throw new IllegalStateException("injected crash at step " + step);
                    }
                }));
        assertTrue(crash.getMessage().contains("injected crash"), crash.getMessage());
        Path folder = dir.resolve("crashed");
        Checkpoint.Loaded saved = Checkpoint.read(folder.resolve(RunDirectory.CHECKPOINT));
        assertEquals(1, saved.state().epochsDone(), "the checkpoint of epoch 1 is what the crash left");
        assertThrows(dev.pdq.train.run.RunRefusedException.class, () -> sparkRun(cfg, out, false, null),
                "a run is there: --resume needed");

        TrainingRun.Result resumed = sparkRun(cfg, out, true, null);
        assertTrue(clean.state().sameAs(resumed.state()), "the resumed run ends where the uninterrupted one does");
        assertArrayEquals(ModelFile.read(dir.resolve("baseline").resolve(RunDirectory.MODEL)).matrix(),
                ModelFile.read(folder.resolve(RunDirectory.MODEL)).matrix(), 0f);
        for (int e = 0; e < 4; e++) {
            assertEquals(clean.state().log().get(e).validMse(), resumed.state().log().get(e).validMse(), 0.0);
        }
        assertFalse(listing(folder).stream().anyMatch(f -> f.endsWith(".tmp") || f.endsWith(".crc")));
    }
}

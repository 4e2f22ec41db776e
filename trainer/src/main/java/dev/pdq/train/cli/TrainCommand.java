package dev.pdq.train.cli;

import dev.pdq.cli.BitsOption;
import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.cli.SchemeOptions;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.grad.LossSpec;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.run.TrainingRun;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** pdq-train train: learns K on a corpus; see trainer/README-train.md. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learns the analysis operator K by unrolled primal-dual iterations with full or truncated"
                + " backpropagation, Adam and a linearly falling learning rate.",
                "Writes into --out: model.pdqk (the best K by validation MSE), train.csv, curves-*.png,"
                        + " checkpoint.pdqt, split-*.txt. Run the same command with --resume to continue."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--train", arity = "1..*", paramLabel = "DIR",
            description = "Training folder(s) of WAV files (with --engine spark: Hadoop paths, e.g. file:///data/x or"
                    + " hdfs://nn/corpus/train).")
    List<String> trainDirs = new ArrayList<>();

    @Option(names = "--valid", arity = "1..*", paramLabel = "DIR", description = "Validation folder(s).")
    List<String> validDirs = new ArrayList<>();

    @Option(names = "--test", arity = "1..*", paramLabel = "DIR",
            description = "Test folder(s): only listed in split-test.txt, never read here.")
    List<String> testDirs = new ArrayList<>();

    @Option(names = "--data", arity = "1..*", paramLabel = "DIR",
            description = "Instead of --train/--valid: folder(s) split by file at random (--valid-fraction,"
                    + " --test-fraction, --split-seed).")
    List<String> dataDirs = new ArrayList<>();

    @Option(names = "--valid-fraction", defaultValue = "0.1", description = "With --data (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "With --data (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "1", description = "With --data (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder of the run (with --engine spark: a Hadoop path, e.g. hdfs://nn/runs/x).")
    String out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (same options).")
    boolean resume;

    @Mixin
    BitsOption bits = new BitsOption();

    @Option(names = "--init", paramLabel = "FILE|dct", defaultValue = "dct",
            description = "Initial K: `dct` (orthonormal DCT-II, n = k = --frame-length) or an operator file"
                    + " (default: ${DEFAULT-VALUE}).")
    String init;

    @Mixin
    FrameLengthOption frameLength = new FrameLengthOption();

    @Option(names = "--sample-rate", defaultValue = "16000",
            description = "Sample rate for --init dct, Hz; files at another rate are skipped (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--mode", defaultValue = "truncated", paramLabel = "full|truncated",
            converter = GradientModeNames.class, description = "Backpropagation (default: ${DEFAULT-VALUE}).")
    GradientMode mode;

    @Option(names = {"-L", "--iterations"}, paramLabel = "L", defaultValue = "100",
            description = "L, unrolled iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    BackpropOptions backprop = new BackpropOptions();

    @Mixin
    ScheduleOptions schedule = new ScheduleOptions(20, 0, 1e-5, 1e-8);

    @Option(names = "--patience", defaultValue = "0",
            description = "Stop after this many epochs without a better validation MSE; 0 runs every epoch (the"
                    + " best K is kept either way) (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--explode-factor", defaultValue = "1e6",
            description = "Stop as diverged when a batch MSE exceeds this times the first step's (default: ${DEFAULT-VALUE}).")
    double explodeFactor;

    @Option(names = "--shift-grid",
            description = "Augmentation: every epoch, cut each utterance's frames from a grid shifted by a random"
                    + " offset in [0, n) (the frames the runtime's --shifts grids see).")
    boolean shiftGrid;

    @Option(names = "--train-grids", defaultValue = "1", paramLabel = "S",
            description = "Train through the averaged output of S shifted grids (what `pdq dequantize --shifts S`"
                    + " outputs), validating at S too; 1 for the plain per-frame loss (default: ${DEFAULT-VALUE}).")
    int trainGrids;

    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|weighted", converter = LossNames.class,
            completionCandidates = LossNames.class,
            description = "Training loss: mse, 0.5||y^L - s||^2; or weighted, the error through the CELP perceptual"
                    + " weighting filter of each clean frame (W(z) = G A(z/0.9)/A(z/0.6), unit power on white noise),"
                    + " mixed with mse by --loss-weight (default: ${DEFAULT-VALUE}).")
    LossSpec.Kind loss;

    @Option(names = "--loss-weight", defaultValue = "0.5", paramLabel = "W",
            description = "With --loss weighted: the weighted term's share w in [0, 1], l = (1 - w) mse + w weighted"
                    + " (default: ${DEFAULT-VALUE}).")
    double lossWeight;

    @Mixin
    LevelOptions levelOptions;

    @Mixin
    SchemeOptions schemeOptions = new SchemeOptions();

    @Option(names = "--valid-levels", split = ",", paramLabel = "DB",
            description = "Validate with every file peak-normalized and scaled to each of these peak levels in dBFS"
                    + " (each level, and each corpus, a set of its own; the best K by the mean dB over the sets).")
    List<Double> validLevels = new ArrayList<>();

    @Option(names = "--balance-corpora", description = "Every epoch draws as many examples from each training folder"
            + " (a small corpus repeated, a large one sampled), so that one long corpus does not drown the others.")
    boolean balanceCorpora;

    @Mixin
    ComputeOptions compute;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        checkUsage();
        Level level = levelOptions.level();
        TrainConfig cfg;
        try {
            cfg = schedule.applyTo(TrainConfig.builder()).mode(mode).iterations(iterations)
                    .backpropSteps(backprop.steps).alpha(backprop.alpha).patience(patience).bits(bits.bits())
                    .level(level).explodeFactor(explodeFactor).shiftGrid(shiftGrid).trainGrids(trainGrids)
                    .scheme(schemeOptions.scheme(), schemeOptions.gainBlock()).balanceCorpora(balanceCorpora)
                    .validLevels(validLevels).loss(LossSpec.of(loss, lossWeight))
                    .build();
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(e.getMessage());
        }
        Operator initial = initialOperator();
        if (initial.n() % trainGrids != 0) {
            throw PdqException.usage("--train-grids " + trainGrids + " must divide the frame length " + initial.n());
        }
        String initName = init.equals("dct") ? "dct" : init;
        SparkOptions.Engine which = spark.engine();
        if (which == SparkOptions.Engine.SPARK && trainGrids > 1) {
            throw PdqException.usage("--train-grids is for --engine single: a step through the averaged output of"
                    + " shifted grids is one segment, which one executor would compute alone");
        }
        TrainingRun.Result result;
        try (Progress progress = compute.progress()) {
            if (which == SparkOptions.Engine.SPARK) {
                result = trainOnSpark(new TrainingRun.Recipe(cfg, initial, initName, dataSource(), resume), progress);
            } else {
                TrainingRun.Spec spec = new TrainingRun.Spec(cfg, initial, initName, split(), dataSource(),
                        localPath(out), resume);
                TrainingRun.checkFolder(spec);
                result = TrainingRun.run(spec, compute.blas(), compute.threads(), progress);
            }
        } catch (TrainingRun.DivergedException e) {
            Logger.error("{}", e.getCause().getMessage());
            Logger.error("kept the files of the last completed epoch ({}): {} (best K: epoch {}) and {}",
                    e.state().epochsDone(), e.dir().modelLocation(), e.state().bestEpoch(),
                    e.dir().checkpointLocation());
            return ExitCodes.FAILURE;
        }
        EpochRecord best = result.state().bestRecord();
        EpochRecord first = result.state().log().get(0);
        Logger.info(String.format(Locale.ROOT, "done: %s holds the K of epoch %d: validation SNR %.3f dB (mean per"
                        + " file), %.3f dB overall, MSE %.4e; the initial K scored %.3f dB, %.3f dB, %.4e",
                result.dir().modelLocation(), best.epoch(), best.validSnrDb(), best.validSnrOverallDb(), best.validMse(),
                first.validSnrDb(), first.validSnrOverallDb(), first.validMse()));
        return ExitCodes.OK;
    }

    private void checkUsage() throws PdqException {
        boolean explicit = !trainDirs.isEmpty() || !validDirs.isEmpty() || !testDirs.isEmpty();
        if (explicit && !dataDirs.isEmpty()) {
            throw PdqException.usage("give either --data or --train/--valid[/--test], not both");
        }
        if (!explicit && dataDirs.isEmpty()) {
            throw PdqException.usage("no data: give --train DIR... --valid DIR... or --data DIR...");
        }
        if (explicit && (trainDirs.isEmpty() || validDirs.isEmpty())) {
            throw PdqException.usage("--train and --valid are both needed");
        }
    }

    private Operator initialOperator() throws IOException, PdqException {
        if (init.equals("dct")) {
            try {
                return TrainingRun.dctInitial(frameLength.n, bits.bits(), sampleRate, iterations);
            } catch (IllegalArgumentException e) {
                throw PdqException.usage(e.getMessage());
            }
        }
        Operator op = ModelFile.read(Path.of(init));
        if (op.theta() != 1.0 || op.stepRatio() != Trainer.STEP_RATIO) {
            throw PdqException.usage("--init " + init + ": theta = " + op.theta() + ", sigma/tau = " + op.stepRatio()
                    + "; training uses theta = 1 and sigma/tau = " + Trainer.STEP_RATIO);
        }
        return op;
    }

    /** The Spark engine (its classes load only here, when Spark is on the class path). */
    private TrainingRun.Result trainOnSpark(TrainingRun.Recipe recipe, Progress progress)
            throws IOException, PdqException {
        dev.pdq.train.spark.SparkTraining.Request request = new dev.pdq.train.spark.SparkTraining.Request(recipe,
                new dev.pdq.train.spark.SparkTraining.Folders(trainDirs, validDirs, testDirs, dataDirs,
                        validFraction, testFraction, splitSeed), out,
                new dev.pdq.train.spark.SparkTraining.Cluster(spark.master, spark.partitions, spark.executorBatch,
                        spark.treeDepth), compute.choice(), compute.library(), null);
        return dev.pdq.train.spark.SparkTraining.run(request, compute.blas(), compute.threads(), progress);
    }

    private Split<Path> split() throws IOException, PdqException {
        if (!dataDirs.isEmpty()) {
            try {
                return Split.byFile(CorpusReader.listFiles(localPaths(dataDirs)), validFraction, testFraction,
                        splitSeed);
            } catch (IllegalArgumentException e) {
                throw PdqException.usage(e.getMessage());
            }
        }
        return new Split<>(CorpusReader.listFiles(localPaths(trainDirs)), CorpusReader.listFiles(localPaths(validDirs)),
                testDirs.isEmpty() ? List.of() : CorpusReader.listFiles(localPaths(testDirs)));
    }

    /** A local path; a file: URI is taken as the local path it names. */
    static Path localPath(String s) throws PdqException {
        if (s.startsWith("file:")) {
            try {
                return Path.of(java.net.URI.create(s));
            } catch (IllegalArgumentException e) {
                throw PdqException.usage("'" + s + "' is not a file URI: " + e.getMessage());
            }
        }
        return Path.of(s);
    }

    static List<Path> localPaths(List<String> list) throws PdqException {
        List<Path> paths = new ArrayList<>();
        for (String s : list) {
            paths.add(localPath(s));
        }
        return paths;
    }

    private String dataSource() {
        return dataDirs.isEmpty()
                ? "train " + trainDirs + ", validation " + validDirs + (testDirs.isEmpty() ? "" : ", test " + testDirs)
                : "split of " + dataDirs + " by file (validation " + validFraction + ", test " + testFraction
                + ", seed " + splitSeed + ")";
    }
}

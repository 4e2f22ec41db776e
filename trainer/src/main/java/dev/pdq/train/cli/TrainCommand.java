package dev.pdq.train.cli;

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

    @Option(names = "--bits", defaultValue = "4", description = "Quantizer bits (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--init", paramLabel = "FILE|dct", defaultValue = "dct",
            description = "Initial K: `dct` (orthonormal DCT-II, n = k = --frame-length) or an operator file"
                    + " (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--frame-length", defaultValue = "320", description = "n for --init dct (default: ${DEFAULT-VALUE}).")
    int frameLength;

    @Option(names = "--sample-rate", defaultValue = "16000",
            description = "Sample rate for --init dct, Hz; files at another rate are skipped (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--mode", defaultValue = "truncated", paramLabel = "full|truncated",
            description = "Backpropagation (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"--iterations", "-L"}, defaultValue = "100", description = "L, unrolled iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"--backprop-steps", "-b"}, defaultValue = "30",
            description = "b, backward steps of truncated backpropagation (default: ${DEFAULT-VALUE}).")
    int backpropSteps;

    @Option(names = "--alpha", defaultValue = "1", paramLabel = "A|r",
            description = "Primal mask threshold: a number, or r for the exact Jacobian (default: ${DEFAULT-VALUE},"
                    + " as the paper trains).")
    String alpha;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr-start", defaultValue = "1e-5", description = "Learning rate of the first step (default: ${DEFAULT-VALUE}).")
    double lrStart;

    @Option(names = "--lr-end", defaultValue = "1e-8", description = "Learning rate of the last step (default: ${DEFAULT-VALUE}).")
    double lrEnd;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shuffles and gains (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patience", defaultValue = "0",
            description = "Stop after this many epochs without a better validation MSE; 0 runs every epoch (the"
                    + " best K is kept either way) (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--steps-per-epoch", defaultValue = "0",
            description = "Cap on the steps of an epoch, for smoke runs; 0 for all (default: ${DEFAULT-VALUE}).")
    int stepsPerEpoch;

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

    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|weighted",
            description = "Training loss: mse, 0.5||y^L - s||^2; or weighted, the error through the CELP perceptual"
                    + " weighting filter of each clean frame (W(z) = G A(z/0.9)/A(z/0.6), unit power on white noise),"
                    + " mixed with mse by --loss-weight (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--loss-weight", defaultValue = "0.5", paramLabel = "W",
            description = "With --loss weighted: the weighted term's share w in [0, 1], l = (1 - w) mse + w weighted"
                    + " (default: ${DEFAULT-VALUE}).")
    double lossWeight;

    @Mixin
    LevelOptions levelOptions;

    @Mixin
    EngineOptions engine;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws IOException {
        checkUsage();
        Level level = levelOptions.level();
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(GradientMode.parse(mode), iterations, backpropSteps, parseAlpha(), epochs, batch,
                    lrStart, lrEnd, seed, patience, stepsPerEpoch, bits, level, explodeFactor, shiftGrid, trainGrids,
                    LossSpec.parse(loss, lossWeight));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Operator initial = initialOperator();
        if (initial.n() % trainGrids != 0) {
            throw new UsageException("--train-grids " + trainGrids + " must divide the frame length " + initial.n());
        }
        String initName = init.equals("dct") ? "dct" : init;
        SparkOptions.Engine which = spark.engine();
        if (which == SparkOptions.Engine.SPARK && trainGrids > 1) {
            throw new UsageException("--train-grids is for --engine single: a step through the averaged output of"
                    + " shifted grids is one segment, which one executor would compute alone");
        }
        TrainingRun.Result result;
        try (Progress progress = engine.progress()) {
            if (which == SparkOptions.Engine.SPARK) {
                result = trainOnSpark(new TrainingRun.Recipe(cfg, initial, initName, dataSource(), resume), progress);
            } else {
                TrainingRun.Spec spec = new TrainingRun.Spec(cfg, initial, initName, split(), dataSource(),
                        localPath(out), resume);
                TrainingRun.checkFolder(spec);
                result = TrainingRun.run(spec, engine.blas(), engine.threads(), progress);
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

    private void checkUsage() {
        boolean explicit = !trainDirs.isEmpty() || !validDirs.isEmpty() || !testDirs.isEmpty();
        if (explicit && !dataDirs.isEmpty()) {
            throw new UsageException("give either --data or --train/--valid[/--test], not both");
        }
        if (!explicit && dataDirs.isEmpty()) {
            throw new UsageException("no data: give --train DIR... --valid DIR... or --data DIR...");
        }
        if (explicit && (trainDirs.isEmpty() || validDirs.isEmpty())) {
            throw new UsageException("--train and --valid are both needed");
        }
    }

    private float parseAlpha() {
        if (alpha.trim().equalsIgnoreCase("r")) {
            return Float.NaN;
        }
        try {
            return Float.parseFloat(alpha.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--alpha '" + alpha + "' is neither a number nor r");
        }
    }

    private Operator initialOperator() throws IOException {
        if (init.equals("dct")) {
            try {
                return TrainingRun.dctInitial(frameLength, bits, sampleRate, iterations);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Operator op = ModelFile.read(Path.of(init));
        if (op.theta() != 1.0 || op.stepRatio() != Trainer.STEP_RATIO) {
            throw new UsageException("--init " + init + ": theta = " + op.theta() + ", sigma/tau = " + op.stepRatio()
                    + "; training uses theta = 1 and sigma/tau = " + Trainer.STEP_RATIO);
        }
        return op;
    }

    /** The Spark engine (its classes load only here, when Spark is on the class path). */
    private TrainingRun.Result trainOnSpark(TrainingRun.Recipe recipe, Progress progress) throws IOException {
        dev.pdq.train.spark.SparkTraining.Request request = new dev.pdq.train.spark.SparkTraining.Request(recipe,
                new dev.pdq.train.spark.SparkTraining.Folders(trainDirs, validDirs, testDirs, dataDirs,
                        validFraction, testFraction, splitSeed), out,
                new dev.pdq.train.spark.SparkTraining.Cluster(spark.master, spark.partitions, spark.executorBatch,
                        spark.treeDepth), engine.choice(), engine.library(), null);
        return dev.pdq.train.spark.SparkTraining.run(request, engine.blas(), engine.threads(), progress);
    }

    private Split split() throws IOException {
        if (!dataDirs.isEmpty()) {
            try {
                return Split.byFile(CorpusReader.listFiles(localPaths(dataDirs)), validFraction, testFraction,
                        splitSeed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new Split(CorpusReader.listFiles(localPaths(trainDirs)), CorpusReader.listFiles(localPaths(validDirs)),
                testDirs.isEmpty() ? List.of() : CorpusReader.listFiles(localPaths(testDirs)));
    }

    /** A local path; a file: URI is taken as the local path it names. */
    static Path localPath(String s) {
        if (s.startsWith("file:")) {
            try {
                return Path.of(java.net.URI.create(s));
            } catch (IllegalArgumentException e) {
                throw new UsageException("'" + s + "' is not a file URI: " + e.getMessage());
            }
        }
        return Path.of(s);
    }

    private static List<Path> localPaths(List<String> list) {
        return list.stream().map(TrainCommand::localPath).toList();
    }

    private String dataSource() {
        return dataDirs.isEmpty()
                ? "train " + trainDirs + ", validation " + validDirs + (testDirs.isEmpty() ? "" : ", test " + testDirs)
                : "split of " + dataDirs + " by file (validation " + validFraction + ", test " + testFraction
                + ", seed " + splitSeed + ")";
    }
}

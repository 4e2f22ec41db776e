package dev.pdq.train.loop;

import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.files.LocalFolder;
import dev.pdq.train.files.RunFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The output folder of a training run, rewritten after the initial validation and after every epoch, each file
 * atomically, in this order (the checkpoint last, so that it never claims an epoch whose files are missing):
 *
 * <pre>
 *   model.pdqk        the best K so far, with its provenance (an operator file the runtime loads)
 *   train.csv         the log, one row per epoch ({@link EpochRecord#CSV_HEADER})
 *   curves-mse.png, curves-snr.png   learning curves
 *   checkpoint.pdqt   everything to resume ({@link Checkpoint})
 * </pre>
 */
public final class RunDirectory implements Trainer.EpochSink {
    public static final String MODEL = "model" + ModelFile.EXTENSION;
    public static final String LOG = "train.csv";
    public static final String CHECKPOINT = "checkpoint.pdqt";

    private final RunFolder folder;
    private final Map<String, String> settings;
    private final Function<float[], Operator> model;
    private final Function<TrainState, String> provenance;

    /**
     * @param folder     where the files go: a local folder, or any {@link RunFolder} (a Hadoop file system's)
     * @param settings   the run's {@link TrainConfig#fingerprint()}
     * @param model      makes the operator (without provenance) for a K
     * @param provenance the provenance text of the model for a state
     */
    public RunDirectory(RunFolder folder, Map<String, String> settings, Function<float[], Operator> model,
                        Function<TrainState, String> provenance) {
        this.folder = folder;
        this.settings = Map.copyOf(settings);
        this.model = model;
        this.provenance = provenance;
    }

    /** A run in a local folder. */
    public RunDirectory(Path dir, Map<String, String> settings, Function<float[], Operator> model,
                        Function<TrainState, String> provenance) {
        this(RunFolder.local(dir), settings, model, provenance);
    }

    public RunFolder folder() {
        return folder;
    }

    /** Where the model is, for messages. */
    public String modelLocation() {
        return folder.where(MODEL);
    }

    /** Where the checkpoint is, for messages. */
    public String checkpointLocation() {
        return folder.where(CHECKPOINT);
    }

    /** The local folder (only for a run in a local folder). */
    public Path dir() {
        if (folder instanceof LocalFolder local) {
            return local.dir();
        }
        throw new IllegalStateException("the run folder " + folder.where("") + " is not local");
    }

    public Path modelFile() {
        return dir().resolve(MODEL);
    }

    public Path checkpointFile() {
        return dir().resolve(CHECKPOINT);
    }

    public Path logFile() {
        return dir().resolve(LOG);
    }

    @Override
    public void epochEnd(TrainState state) throws IOException {
        if (state.bestK != null) {
            Operator best = model.apply(state.bestK).withProvenance(provenance.apply(state));
            folder.write(MODEL, out -> ModelFile.write(best, out));
        }
        StringBuilder csv = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
        for (EpochRecord r : state.log) {
            csv.append(r.csv()).append('\n');
        }
        byte[] log = csv.toString().getBytes(StandardCharsets.UTF_8);
        folder.write(LOG, out -> out.write(log));
        LearningCurves.write(folder, state.log);
        byte[] checkpoint = Checkpoint.toBytes(state, orderedSettings());
        folder.write(CHECKPOINT, out -> out.write(checkpoint));
    }

    private Map<String, String> orderedSettings() {
        return new java.util.TreeMap<>(settings);
    }
}

package dev.pdq.train.loop;

import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private final Path dir;
    private final Map<String, String> settings;
    private final Function<float[], Operator> model;
    private final Function<TrainState, String> provenance;

    /**
     * @param settings   the run's {@link TrainConfig#fingerprint()}
     * @param model      makes the operator (without provenance) for a K
     * @param provenance the provenance text of the model for a state
     */
    public RunDirectory(Path dir, Map<String, String> settings, Function<float[], Operator> model,
                        Function<TrainState, String> provenance) {
        this.dir = dir;
        this.settings = Map.copyOf(settings);
        this.model = model;
        this.provenance = provenance;
    }

    public Path dir() {
        return dir;
    }

    public Path modelFile() {
        return dir.resolve(MODEL);
    }

    public Path checkpointFile() {
        return dir.resolve(CHECKPOINT);
    }

    public Path logFile() {
        return dir.resolve(LOG);
    }

    @Override
    public void epochEnd(TrainState state) throws IOException {
        Files.createDirectories(dir);
        if (state.bestK != null) {
            ModelFile.write(model.apply(state.bestK).withProvenance(provenance.apply(state)), modelFile());
        }
        StringBuilder csv = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
        for (EpochRecord r : state.log) {
            csv.append(r.csv()).append('\n');
        }
        AtomicFiles.write(logFile(), csv.toString().getBytes(StandardCharsets.UTF_8));
        LearningCurves.write(dir, state.log);
        Checkpoint.write(checkpointFile(), state, orderedSettings());
    }

    private Map<String, String> orderedSettings() {
        return new java.util.TreeMap<>(settings);
    }
}

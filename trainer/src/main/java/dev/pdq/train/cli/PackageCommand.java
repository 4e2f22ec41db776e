package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Makes a trained operator file into a model to ship: sets its inference defaults (L and S, chosen with eval) and
 * writes one provenance holding a note and the provenance of every training stage, newest first.
 */
@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sets a trained model's default iterations and shifted grids and gathers the provenance of its"
                + " training stages into one file (atomic write).")
final class PackageCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The last stage's operator file.")
    Path model;

    @Option(names = "--stages", split = ",", paramLabel = "FILE", description = "Earlier stages' operator files,"
            + " newest first (their provenance is kept).")
    List<Path> stages = new ArrayList<>();

    @Option(names = {"-L", "--iterations"}, paramLabel = "L", required = true, description = "Default L at inference.")
    int iterations;

    @Option(names = "--shifts", defaultValue = "1", description = "Default shifted frame grids S (default: ${DEFAULT-VALUE}).")
    int shifts;

    @Option(names = "--note", defaultValue = "", description = "First provenance paragraph: what the model is and how"
            + " its defaults were chosen.")
    String note;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Operator op = ModelFile.read(model);
        if (Integer.bitCount(shifts) != 1 || shifts > 8 || op.n() % shifts != 0) {
            throw PdqException.usage("--shifts " + shifts + " must be 1, 2, 4 or 8 and divide the frame length "
                    + op.n() + " (what pdq dequantize accepts)");
        }
        List<Operator> all = new ArrayList<>(List.of(op));
        for (Path p : stages) {
            all.add(ModelFile.read(p));
        }
        StringBuilder provenance = new StringBuilder(note);
        for (int i = 0; i < all.size(); i++) {
            provenance.append(provenance.length() == 0 ? "" : "\n").append("--- stage ").append(all.size() - i)
                    .append(" ---\n").append(all.get(i).provenance().strip());
        }
        Operator packaged;
        try {
            packaged = op.withTrainedIterations(iterations).withShifts(shifts).withProvenance(provenance.toString());
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(e.getMessage());
        }
        ModelOutput.write(packaged, out);
        Logger.info("wrote {}: L = {}, S = {}, {} stage(s) of provenance", out, iterations, shifts, all.size());
        return ExitCodes.OK;
    }
}

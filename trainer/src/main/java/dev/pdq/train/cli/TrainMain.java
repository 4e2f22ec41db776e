package dev.pdq.train.cli;

import dev.pdq.cli.CommandLines;
import dev.pdq.cli.PdqException;
import dev.pdq.train.run.RunRefusedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * The pdq-train command: subcommands train, eval, experiment, bench, package and grow. It runs on pdq's command-line
 * set-up ({@link CommandLines}): a new subcommand is a picocli {@code Callable<Integer>} class added to {@code
 * subcommands} below; it can share the option groups of this package as mixins, throw {@link PdqException} (usage:
 * exit 2, failure: exit 1) and let I/O errors through (their message is printed, exit 1). Nothing is written to
 * stdout: help, version, logs and progress go to stderr.
 */
@Command(name = "pdq-train", mixinStandardHelpOptions = true,
        description = "Learns the analysis operator K of the pdq dequantizer and evaluates operators.",
        subcommands = {TrainCommand.class, EvalCommand.class, ExperimentCommand.class,
                BenchCommand.class, PackageCommand.class, GrowCommand.class})
public final class TrainMain implements Callable<Integer> {
    /**
     * pdq-train on pdq's set-up. Its own failures: a refused run (its folder, a resume with other settings) is a
     * usage error; an IllegalArgumentException from the training code names data or settings it cannot use.
     */
    static final CommandLines.Program PROGRAM = new CommandLines.Program("pdq-train", TrainMain.class, e -> {
        if (e instanceof RunRefusedException) {
            return PdqException.usage(e.getMessage());
        }
        return e instanceof IllegalArgumentException ? PdqException.failure(e.getMessage()) : null;
    });

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        CommandLines.exit(run(args));
    }

    /** Runs a command line and returns its exit code (no System.exit: for tests and embedding). */
    public static int run(String... args) {
        return CommandLines.run(PROGRAM, new TrainMain(), args);
    }

    /** The configured command line: output and errors on stderr, exceptions mapped to exit codes. */
    public static CommandLine commandLine() {
        return CommandLines.create(PROGRAM, new TrainMain());
    }

    @Override
    public Integer call() {
        return CommandLines.subcommandRequired(spec);
    }
}

package dev.pdq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The pdq command. stdout carries audio only; everything for people goes to stderr. */
@Command(name = "pdq", mixinStandardHelpOptions = true,
        description = "Primal-dual speech dequantizer with a learned analysis operator.",
        subcommands = {DequantizeCommand.class, QuantizeCommand.class, InfoCommand.class, BenchCommand.class,
                SynthCommand.class, CompareCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    static final CommandLines.Program PROGRAM = new CommandLines.Program("pdq", Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLines.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        return CommandLines.run(PROGRAM, new Main(), args);
    }

    /**
     * A command line for {@code command} (Main, or one subcommand object on its own, as tests build them with
     * their own streams), configured as pdq runs.
     */
    static CommandLine commandLine(Object command) {
        return CommandLines.create(PROGRAM, command);
    }

    /** No subcommand: say which there are. */
    @Override
    public Integer call() {
        return CommandLines.subcommandRequired(spec);
    }
}

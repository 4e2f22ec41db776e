package dev.pdq.cli;

import dev.pdq.trace.StartupTrace;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * The pdq command. stdout carries audio only; everything for people goes to stderr. The subcommands are added by
 * {@link #commandLine(Object, String...)}, not listed in the annotation: picocli builds the model of every listed
 * one by reflection, most of its start-up time, so a command line that starts with a subcommand's name gets only
 * that one, and {@code pdq --version} none.
 */
@Command(name = "pdq", mixinStandardHelpOptions = true,
        description = "Primal-dual speech dequantizer with a learned analysis operator.")
public final class Main implements java.util.concurrent.Callable<Integer> {
    static final CommandLines.Program PROGRAM = new CommandLines.Program("pdq", Main.class);
    /** The subcommands' names, in the order help lists them; {@link #subcommand} makes each. */
    static final List<String> SUBCOMMANDS = List.of("dequantize", "quantize", "info", "bench", "synth", "compare");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupTrace.mark("main");
        int code = run(args);
        StartupTrace.mark("command done");
        CommandLines.exit(code);
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        CommandLine cl = commandLine(new Main(), args);
        StartupTrace.mark("command line model built");
        return cl.execute(args);
    }

    /**
     * A command line for {@code command} (Main, or one subcommand object on its own, as tests build them with their
     * own streams), configured as pdq runs. Main gets every subcommand, or only the one {@code args} starts with
     * (what follows a subcommand's name is that subcommand's, so parsing, errors and help come out the same), or none
     * for {@code --version} alone.
     */
    static CommandLine commandLine(Object command, String... args) {
        List<Object> subs = new ArrayList<>();
        if (command instanceof Main) {
            Object named = args.length > 0 ? subcommand(args[0]) : null;
            if (named != null) {
                subs.add(named);
            } else if (!(args.length == 1 && (args[0].equals("--version") || args[0].equals("-V")))) {
                for (String name : SUBCOMMANDS) {
                    subs.add(subcommand(name));
                }
            }
        }
        return CommandLines.create(PROGRAM, command, subs);
    }

    /** A new subcommand object for a name in {@link #SUBCOMMANDS} (registered under its annotation's name), else null. */
    static Object subcommand(String name) {
        // a switch, not a map of constructor references: each of those would bootstrap a lambda at start-up
        return switch (name) {
            case "dequantize" -> new DequantizeCommand();
            case "quantize" -> new QuantizeCommand();
            case "info" -> new InfoCommand();
            case "bench" -> new BenchCommand();
            case "synth" -> new SynthCommand();
            case "compare" -> new CompareCommand();
            default -> null;
        };
    }

    /** No subcommand: say which there are. */
    @Override
    public Integer call() {
        return CommandLines.subcommandRequired(spec);
    }
}

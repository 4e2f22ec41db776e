package dev.pdq.cli;

import dev.pdq.trace.StartupTrace;
import org.tinylog.provider.ProviderRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.List;

/**
 * The pdq command. stdout carries audio only; everything for people goes to stderr. The subcommands are added by
 * {@link #commandLine(Object, String...)}, not listed in the annotation: picocli builds the model of every listed
 * one by reflection, most of its start-up time, so a command line that starts with a subcommand's name gets only
 * that one, and {@code pdq --version} none.
 */
@Command(name = "pdq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Primal-dual speech dequantizer with a learned analysis operator.")
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The subcommands' names, in the order help lists them; {@link #subcommand} makes each. */
    static final List<String> SUBCOMMANDS = List.of("dequantize", "quantize", "info", "bench", "synth", "compare");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;


    public static void main(String[] args) {
        StartupTrace.mark("main");
        int code = run(args);
        StartupTrace.mark("command done");
        try {
            ProviderRegistry.getLoggingProvider().shutdown(); // flush log lines before exiting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StartupTrace.mark("logging shut down");
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        CommandLine cl = commandLine(new Main(), args);
        StartupTrace.mark("command line model built");
        return cl.execute(args);
    }

    /**
     * A command line for {@code command} (Main, or one subcommand object on its own, as tests build them with
     * their own streams), configured as pdq runs: help and errors on stderr, faults turned into exit codes. Main
     * gets every subcommand, or only the one {@code args} starts with (what follows a subcommand's name is that
     * subcommand's, so parsing, errors and help come out the same), or none for {@code --version} alone.
     */
    static CommandLine commandLine(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        if (command instanceof Main) {
            Object named = args.length > 0 ? subcommand(args[0]) : null;
            if (named != null) {
                cl.addSubcommand(named);
            } else if (!(args.length == 1 && (args[0].equals("--version") || args[0].equals("-V")))) {
                for (String name : SUBCOMMANDS) {
                    cl.addSubcommand(subcommand(name));
                }
            }
        }
        cl.setOut(new java.io.PrintWriter(System.err, true)); // --help and --version are for people: stderr
        cl.setErr(new java.io.PrintWriter(System.err, true));
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::handleUsage);
        // every subcommand takes --version (mixinStandardHelpOptions) and must print what `pdq --version` prints,
        // not an empty line (found by CommandLineFuzzTest)
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) {
                sub.getCommandSpec().versionProvider(new Version());
            }
        }
        return cl;
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

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String name = name(cl);
        if (e instanceof PdqException p) {
            System.err.println(name + ": " + p.getMessage());
            if (p.exitCode() == ExitCodes.USAGE) {
                System.err.println("Try '" + name + " --help'.");
            }
            return p.exitCode();
        }
        if (e instanceof StdStreams.OutputClosedException) {
            return ExitCodes.OUTPUT_CLOSED; // the reader went away: nothing to say
        }
        if (e instanceof IOException) {
            System.err.println(name + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        System.err.println(name + ": internal error: " + e);
        e.printStackTrace(System.err);
        return ExitCodes.FAILURE;
    }

    /**
     * A bad command line: one line naming the problem (and picocli's suggestion for a misspelt option), then where
     * to look, like the usage errors the commands raise themselves; not the whole usage text, which would bury it.
     */
    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String name = name(cl);
        System.err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cl.getErr());
        System.err.println("Try '" + name + " --help'.");
        return ExitCodes.USAGE;
    }

    /** "pdq dequantize", also for a subcommand object run on its own (as tests do). */
    private static String name(CommandLine cl) {
        String qualified = cl.getCommandSpec().qualifiedName();
        return qualified.equals("pdq") || qualified.startsWith("pdq ") ? qualified : "pdq " + qualified;
    }

    /** No subcommand: say which there are. */
    @Override
    public Integer call() {
        System.err.println("pdq: a subcommand is required");
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pdq " + (v == null ? "(development build)" : v)};
        }
    }
}

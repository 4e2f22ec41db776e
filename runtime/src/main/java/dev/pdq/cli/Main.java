package dev.pdq.cli;

import dev.pdq.trace.StartupTrace;
import org.tinylog.provider.ProviderRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;

/** The pdq command. stdout carries audio only; everything for people goes to stderr. */
@Command(name = "pdq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Primal-dual speech dequantizer with a learned analysis operator.",
        subcommands = {DequantizeCommand.class, QuantizeCommand.class, InfoCommand.class, BenchCommand.class,
                SynthCommand.class, CompareCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
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
        CommandLine cl = commandLine(new Main());
        StartupTrace.mark("command line model built");
        return cl.execute(args);
    }

    /**
     * A command line for {@code command} (Main, or one subcommand object on its own, as tests build them with
     * their own streams), configured as pdq runs: help and errors on stderr, faults turned into exit codes.
     */
    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
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

package dev.pdq.cli;

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
        int code = run(args);
        try {
            ProviderRegistry.getLoggingProvider().shutdown(); // flush log lines before exiting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new java.io.PrintWriter(System.err, true)); // --help and --version are for people: stderr
        cl.setErr(new java.io.PrintWriter(System.err, true));
        cl.setExecutionExceptionHandler(Main::handle);
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof PdqException p) {
            System.err.println("pdq " + cl.getCommandName() + ": " + p.getMessage());
            if (p.exitCode() == ExitCodes.USAGE) {
                System.err.println("Try 'pdq " + cl.getCommandName() + " --help'.");
            }
            return p.exitCode();
        }
        if (e instanceof StdStreams.OutputClosedException) {
            return ExitCodes.OUTPUT_CLOSED; // the reader went away: nothing to say
        }
        if (e instanceof IOException) {
            System.err.println("pdq " + cl.getCommandName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        System.err.println("pdq " + cl.getCommandName() + ": internal error: " + e);
        e.printStackTrace(System.err);
        return ExitCodes.FAILURE;
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

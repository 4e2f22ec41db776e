package dev.pdq.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Main registers every subcommand, or only the one the command line starts with (building the others' models is
 * start-up time spent for nothing); either way a subcommand's name, options, help and version are the same.
 */
class MainSubcommandsTest {

    @Test
    void everyNameMakesTheCommandOfThatName() {
        for (String name : Main.SUBCOMMANDS) {
            Object command = Main.subcommand(name);
            assertEquals(name, command.getClass().getAnnotation(Command.class).name(), name);
        }
        assertNull(Main.subcommand("dequantise"));
        assertNull(Main.subcommand("--version"));
    }

    @Test
    void withoutASubcommandFirstAllAreRegisteredInOrder() {
        for (String[] args : new String[][] {{}, {"--help"}, {"--version", "dequantize"}, {"-h", "dequantize"},
                {"dequantise"}, {"Dequantize"}}) {
            CommandLine cl = Main.commandLine(new Main(), args);
            assertEquals(Main.SUBCOMMANDS, List.copyOf(cl.getSubcommands().keySet()), String.join(" ", args));
        }
    }

    /** --version alone needs none: it prints what the version provider gives, as before. */
    @Test
    void versionAloneRegistersNone() throws Exception {
        for (String flag : new String[] {"--version", "-V"}) {
            CommandLine cl = Main.commandLine(new Main(), flag);
            assertEquals(List.of(), List.copyOf(cl.getSubcommands().keySet()), flag);
            java.io.StringWriter out = new java.io.StringWriter();
            cl.setOut(new java.io.PrintWriter(out, true));
            assertEquals(0, cl.execute(flag));
            assertEquals(Main.PROGRAM.version(), out.toString().strip(), flag);
        }
    }

    @Test
    void aSubcommandFirstIsTheOnlyOneAndComesOutTheSame() throws Exception {
        CommandLine all = Main.commandLine(new Main());
        for (String name : Main.SUBCOMMANDS) {
            CommandLine cl = Main.commandLine(new Main(), name, "--help");
            assertEquals(List.of(name), List.copyOf(cl.getSubcommands().keySet()));
            CommandLine one = cl.getSubcommands().get(name);
            CommandLine reference = all.getSubcommands().get(name);
            assertEquals(reference.getUsageMessage(CommandLine.Help.Ansi.OFF),
                    one.getUsageMessage(CommandLine.Help.Ansi.OFF), name + " --help");
            assertEquals(List.of(Main.PROGRAM.version()),
                    List.of(one.getCommandSpec().versionProvider().getVersion()), name + " --version");
            assertEquals("pdq " + name, one.getCommandSpec().qualifiedName());
        }
    }
}

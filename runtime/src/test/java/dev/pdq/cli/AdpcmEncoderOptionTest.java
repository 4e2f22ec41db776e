package dev.pdq.cli;

import dev.pdq.adpcm.ImaEncoder;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertSame;

/** pdq dequantize --adpcm-encoder: its default is the library's ({@link ImaEncoder#DEFAULT}), and every name parses. */
class AdpcmEncoderOptionTest {

    private static ImaEncoder parsed(String... args) {
        CommandLine cl = Main.commandLine(new Main(), args);
        CommandLine.ParseResult result = cl.parseArgs(args);
        DequantizeCommand command = (DequantizeCommand) result.subcommand().commandSpec().userObject();
        return command.adpcmEncoder;
    }

    @Test
    void theDefaultIsTheLibrarysAndEveryNameParses() {
        assertSame(ImaEncoder.DEFAULT, parsed("dequantize"));
        for (ImaEncoder e : ImaEncoder.values()) {
            assertSame(e, parsed("dequantize", "--adpcm-encoder", e.cliName()), e.cliName());
        }
    }
}

package dev.pdq.cli;

import dev.pdq.examples.UsingPdqFromJava;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java example compiles (it is {@link UsingPdqFromJava}), runs, gives what the pdq command gives, and
 * is the code the README shows.
 */
class UsingPdqFromJavaTest {

    @Test
    void theExampleDequantizesAsThePdqCommandDoes() throws Exception {
        float[] clip = Arrays.copyOf(dev.pdq.demo.SpeechSynth.generate(0.5, 16000, 5), 3000);
        byte[] codes = Cli.quantize(Cli.s16le(clip), "--input-format", "s16le").stdout();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UsingPdqFromJava.dequantize(new ByteArrayInputStream(codes), out);
        byte[] viaCommand = Cli.dequantize(codes, "--batch", "32").stdout();
        assertArrayEquals(viaCommand, out.toByteArray());
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        Path readme = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).resolve("README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("..", "README.md");
        }
        String text = Files.readString(readme);
        String source = Files.readString(Path.of("src/test/java/dev/pdq/examples/UsingPdqFromJava.java"));
        String body = source.substring(source.indexOf("// README begin") + "// README begin".length(),
                source.indexOf("    // README end")).stripTrailing();
        for (String line : body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            assertTrue(text.contains(line), "README.md lacks the example's line: " + line);
        }
    }
}

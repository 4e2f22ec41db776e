package dev.pdq.train.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fails a test that writes anything to stdout (stdout is for audio only; pdq-train writes nothing there):
 * {@code @ExtendWith(StdoutStaysEmpty.class)} captures System.out around every test of the class.
 */
public final class StdoutStaysEmpty implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StdoutStaysEmpty.class);

    private record Capture(PrintStream real, ByteArrayOutputStream bytes) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Capture c = new Capture(System.out, new ByteArrayOutputStream());
        context.getStore(NS).put(Capture.class, c);
        System.setOut(new PrintStream(c.bytes(), true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture c = context.getStore(NS).remove(Capture.class, Capture.class);
        System.setOut(c.real());
        assertEquals("", c.bytes().toString(StandardCharsets.UTF_8), "nothing may be written to stdout");
    }
}

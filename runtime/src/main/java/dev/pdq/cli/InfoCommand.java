package dev.pdq.cli;

import dev.pdq.blas.Blas;
import dev.pdq.device.DeviceProfile;
import dev.pdq.engine.Engine;
import dev.pdq.engine.EngineSettings;
import dev.pdq.operator.Operator;
import dev.pdq.quant.StreamKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** pdq info: what dequantize would run with, on stderr. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the model, the BLAS backend and library, the OpenBLAS core and the device profile.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    BitsOption bits = new BitsOption();

    @Option(names = "--shifts", paramLabel = "S",
            description = "Frame grids to show the built-in model for (default: the model's own; 1 shows the"
                    + " one-grid model where the bit depth has one).")
    Integer shifts;

    @Mixin
    SchemeOptions scheme = new SchemeOptions();

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "16000",
            description = "Sample rate of the stream to show the built-in model for (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        if (sampleRate < 1) {
            throw PdqException.usage("--sample-rate " + sampleRate + " must be positive");
        }
        EngineSettings settings = engine.settings();
        DeviceProfile profile = Engine.profile(settings);
        Blas blas = Engine.blas(settings, profile);
        // a model file is described as it is (its own scheme and rate); the options choose a built-in one
        Engine.Model chosen = Engine.describe(settings, new StreamKind(scheme.scheme(), bits.bits(), sampleRate,
                scheme.gainBlock()), shifts);
        Operator m = chosen.operator();
        System.err.printf(Locale.ROOT, "model:    n = %d, k = %d, %d bits, %s, %d Hz, trained L = %d, shifts = %d,"
                        + " theta = %.3g, sigma/tau = %.4g, ||K|| = %.6g%n",
                m.n(), m.k(), m.bits(), m.scheme() + (m.blockLength() > 0 ? " " + m.blockLength() : ""),
                m.sampleRate(), m.trainedIterations(), m.shifts(), m.theta(), m.stepRatio(), m.spectralNorm());
        System.err.println("          runs at L = " + chosen.iterations() + " unless --iterations or the profile says"
                + " otherwise");
        System.err.println("          provenance: " + m.provenance());
        System.err.println("backend:  " + blas.name() + ": " + blas.description());
        System.err.println("profile:  " + profile.summary());
        System.err.println("          from " + profile.source());
        return ExitCodes.OK;
    }
}

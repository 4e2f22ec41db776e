package dev.pdq.cli;

import dev.pdq.audio.SampleWriter;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.util.concurrent.Callable;

/** pdq synth: a speech-like test clip on stdout, for trying the pipe without a microphone or recordings. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a speech-like test signal (vowels, fricatives, pauses) to stdout as 16-bit WAV.")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "4", description = "Duration (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rate", defaultValue = "16000", description = "Sample rate (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output-format", defaultValue = "wav", paramLabel = "FMT",
            converter = Formats.OutputNames.class, completionCandidates = Formats.OutputNames.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat outputFormat;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0 && seconds <= 3600) || rate < 1000 || rate > 192000) {
            throw PdqException.usage("--seconds must be in (0, 3600] and --rate in 1000..192000");
        }
        float[] x = SpeechSynth.generate(seconds, rate, seed);
        OutputStream out = StdStreams.stdout();
        try (SampleWriter w = AudioStreams.openOutput(out, outputFormat, 1, rate)) {
            w.write(x, 0, x.length);
        }
        return ExitCodes.OK;
    }
}

package dev.pdq.io;

import dev.pdq.audio.SampleEncoding;

/** Output formats for samples, by the names of {@code --output-format}. */
public enum OutputFormat {
    S16LE("s16le", SampleEncoding.S16LE, false),
    F32LE("f32le", SampleEncoding.F32LE, false),
    /** WAV, 16-bit PCM. */
    WAV("wav", SampleEncoding.S16LE, true),
    /** WAV, 32-bit float. */
    WAV_F32("wav-f32", SampleEncoding.F32LE, true);

    private final String cliName;
    private final SampleEncoding encoding;
    private final boolean wav;

    OutputFormat(String cliName, SampleEncoding encoding, boolean wav) {
        this.cliName = cliName;
        this.encoding = encoding;
        this.wav = wav;
    }

    public String cliName() {
        return cliName;
    }

    public SampleEncoding encoding() {
        return encoding;
    }

    public boolean isWav() {
        return wav;
    }

    /** Parses a command-line name; IllegalArgumentException naming the valid ones. */
    public static OutputFormat parse(String name) {
        for (OutputFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + name + "' (s16le, f32le, wav, wav-f32)");
    }
}

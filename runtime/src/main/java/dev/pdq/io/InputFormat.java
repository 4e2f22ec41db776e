package dev.pdq.io;

import java.util.Locale;

/** Input formats, by the names of {@code --input-format}. */
public enum InputFormat {
    /** "RIFF", "RIFX" or "RF64" at the start: WAV; "PDQC": code stream; anything else: raw s16le. */
    AUTO,
    S16LE,
    F32LE,
    WAV,
    CODES;

    /** The command-line name: auto, s16le, f32le, wav, codes. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; IllegalArgumentException naming the valid ones. */
    public static InputFormat parse(String name) {
        for (InputFormat f : values()) {
            if (f.cliName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown input format '" + name + "' (auto, s16le, f32le, wav, codes)");
    }
}

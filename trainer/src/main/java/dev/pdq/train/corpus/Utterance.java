package dev.pdq.train.corpus;

import java.nio.file.Path;

/**
 * One channel of one audio file, at its recorded level (full scale = 1). Channels of a multi-channel file are
 * separate utterances.
 *
 * @param samples the channel's samples (not copied; do not modify)
 */
public record Utterance(Path file, int channel, int channels, int sampleRate, float[] samples) {

    /** The file name, with "#c" for channel c of a multi-channel file. */
    public String name() {
        String base = file.getFileName().toString();
        return channels > 1 ? base + "#" + channel : base;
    }

    /** max |s|. */
    public float peak() {
        float p = 0;
        for (float v : samples) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }
}

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

    /**
     * The corpus the utterance is from, for per-corpus figures: its folder with the folder above it
     * ("voices16k/dev"), or its folder alone at the top of a file system.
     */
    public String group() {
        Path dir = file.getParent();
        if (dir == null || dir.getFileName() == null) {
            return "";
        }
        Path up = dir.getParent();
        return up != null && up.getFileName() != null ? up.getFileName() + "/" + dir.getFileName()
                : dir.getFileName().toString();
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

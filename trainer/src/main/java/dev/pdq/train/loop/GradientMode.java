package dev.pdq.train.loop;

import java.util.Locale;

/** How the gradient is computed: full backpropagation through all L iterations, or truncated to b steps. */
public enum GradientMode {
    FULL, TRUNCATED;

    public static GradientMode parse(String s) {
        for (GradientMode m : values()) {
            if (m.name().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode '" + s + "' is neither full nor truncated");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

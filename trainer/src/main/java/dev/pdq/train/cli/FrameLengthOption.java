package dev.pdq.train.cli;

import picocli.CommandLine.Option;

/** --frame-length: n of the frames a command cuts, and of the K = DCT it starts from (k = n). */
public final class FrameLengthOption {
    @Option(names = "--frame-length", paramLabel = "N", defaultValue = "320",
            description = "Frame length n; a K = DCT is n x n (default: ${DEFAULT-VALUE}).")
    int n;
}

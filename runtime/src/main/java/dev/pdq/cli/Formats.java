package dev.pdq.cli;

import dev.pdq.adpcm.ImaEncoder;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.PcmReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.io.OutputFormat;

import java.io.IOException;
import java.io.InputStream;

/** Command-line names of formats, and opening stdin with errors that say what and where. */
final class Formats {
    private Formats() {
    }

    /** auto, s16le, f32le, wav, codes, exactly. */
    static final class InputNames extends EnumConverter<InputFormat> {
        InputNames() {
            super(InputFormat.values(), InputFormat::cliName, false);
        }
    }

    /** s16le, f32le, wav, wav-f32, exactly. */
    static final class OutputNames extends EnumConverter<OutputFormat> {
        OutputNames() {
            super(OutputFormat.values(), OutputFormat::cliName, false);
        }
    }

    static void checkChannels(int channels) throws PdqException {
        if (channels < 1 || channels > PcmReader.MAX_CHANNELS) {
            throw PdqException.usage("--channels " + channels + " is not in 1.." + PcmReader.MAX_CHANNELS);
        }
    }

    /** Opens stdin, reading its header where the format has one. */
    static SampleReader openInput(InputStream in, InputFormat format, int channels, int rate)
            throws PdqException, IOException {
        return openInput(in, format, channels, rate, ImaEncoder.DEFAULT);
    }

    /** Opens stdin; IMA ADPCM WAV is decoded as the encoder that wrote it asks. */
    static SampleReader openInput(InputStream in, InputFormat format, int channels, int rate, ImaEncoder encoder)
            throws PdqException, IOException {
        try {
            return AudioStreams.openInput(in, format, channels, rate, encoder.dialect(), encoder.slack());
        } catch (AudioFormatException e) {
            throw PdqException.failure("input: " + e.getMessage());
        }
    }
}

package dev.pdq.adpcm;

import java.util.Locale;

/**
 * The encoder that wrote an IMA ADPCM stream, as far as decoding it goes: which decoder arithmetic it tracked, the
 * rule it chose codes by, and how far its samples may lie outside that rule's cells (runtime/ADPCM.md has the
 * measurements). A file does not say which tool wrote it; the user does (pdq dequantize --adpcm-encoder).
 */
public enum ImaEncoder {
    /** pdq's own encoder (and any that follows the reference ladder exactly): the cells as they are. */
    PDQ(ImaDialect.REFERENCE, ImaCells.Slack.NONE),
    /** sox without dither ({@code sox -D ... -e ima-adpcm}): its own (division) cells, exact. */
    SOX(ImaDialect.SOX, ImaCells.Slack.SOX),
    /** sox as typed (it dithers when it reduces the bit depth): its cells, 11 LSB wider on each side. */
    SOX_DITHER(ImaDialect.SOX, ImaCells.Slack.SOX_DITHER),
    /** ffmpeg ({@code -c:a adpcm_ima_wav}): decoded as ffmpeg decodes it, in whose cells its samples lie. */
    FFMPEG(ImaDialect.FFMPEG, ImaCells.Slack.NONE);

    /**
     * What IMA ADPCM input is taken to be when nobody says: sox's cells. They are exact for {@code sox -D}; for
     * sox as typed they are the cells of the dithered signal its encoder saw (within 11 LSB of the clean one), and
     * reading such files in them gave 0.07 to 0.9 dB more than in {@link #SOX_DITHER}'s wider ones, which hold the
     * clean samples (runtime/ADPCM.md, "Which cells by default").
     */
    public static final ImaEncoder DEFAULT = SOX;

    private final ImaDialect dialect;
    private final ImaCells.Slack slack;

    ImaEncoder(ImaDialect dialect, ImaCells.Slack slack) {
        this.dialect = dialect;
        this.slack = slack;
    }

    public ImaDialect dialect() {
        return dialect;
    }

    public ImaCells.Slack slack() {
        return slack;
    }

    /** pdq, sox, sox-dither, ffmpeg. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

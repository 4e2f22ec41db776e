package dev.pdq.adpcm;

import java.util.Locale;

/**
 * The encoder that wrote an IMA ADPCM stream, as far as decoding it goes: which decoder arithmetic it tracked and how
 * far its samples may lie outside the reference ladder's cells (runtime/ADPCM.md has the measurements). A file does
 * not say which tool wrote it; the user does (pdq dequantize --adpcm-encoder).
 */
public enum ImaEncoder {
    /** pdq's own encoder (and any that follows the reference ladder exactly): the cells as they are. */
    PDQ(ImaDialect.REFERENCE, ImaCells.Slack.NONE),
    /** sox without dither ({@code sox -D ... -e ima-adpcm}): up to 2 LSB outside, on the far side. */
    SOX(ImaDialect.REFERENCE, ImaCells.Slack.SOX),
    /** sox as typed (it dithers when it reduces the bit depth): up to 13 LSB outside. */
    SOX_DITHER(ImaDialect.REFERENCE, ImaCells.Slack.SOX_DITHER),
    /** ffmpeg ({@code -c:a adpcm_ima_wav}): decoded as ffmpeg decodes it, in whose cells its samples lie. */
    FFMPEG(ImaDialect.FFMPEG, ImaCells.Slack.NONE);

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

package dev.pdq.adpcm;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.WavHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A second IMA ADPCM WAV decoder for tests, written from the specification without the main code's classes (only
 * WavHeader for the chunk structure): whole file in, every channel's nibbles unpacked into a list first, the
 * reference reconstruction (or ffmpeg's) applied sample by sample, and each cell found by bisection on the
 * three-comparison ladder (or the division encoders' rule, sox's and ffmpeg's; the set of magnitudes with the same
 * code is an interval) instead of by formula. (The dialect only names which of these to use.)
 */
final class ImaReference {

    static final int[] STEPS = {7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55,
        60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494,
        544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024,
        3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289,
        16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767};
    static final int[] INDEX = {-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8};

    /**
     * What a file calls for: the header's fault, or interleaved 16-bit values with their cells [lo, hi] and the
     * fault (kind, offset) the data ends with, if any.
     */
    record Expected(AudioFormatException headerFault, int channels, int[] x, int[] lo, int[] hi,
                    AudioFormatException.Kind faultKind, long faultOffset) {
        int frames() {
            return x.length / channels;
        }
    }

    /** FIRST[i][m] = firstAtLeast(m, STEPS[i]) for m = 0..8, found once by bisection. */
    private static final int[][] FIRST = new int[89][9];
    /** The same for the division encoders' bits. */
    private static final int[][] FIRST_DIVISION = new int[89][9];

    static {
        for (int i = 0; i < 89; i++) {
            for (int m = 0; m <= 8; m++) {
                FIRST[i][m] = firstAtLeast(m, STEPS[i]);
                FIRST_DIVISION[i][m] = firstAtLeastDivision(m, STEPS[i]);
            }
        }
    }

    private ImaReference() {
    }

    /** The ladder's magnitude bits of diff >= 0. */
    static int ladder(int diff, int step) {
        int m = 0;
        if (diff >= step) {
            m = 4;
            diff -= step;
        }
        if (diff >= step / 2) {
            m += 2;
            diff -= step / 2;
        }
        if (diff >= step / 4) {
            m += 1;
        }
        return m;
    }

    /** The smallest magnitude in 0..65536 whose ladder bits are at least m (65536 if none). */
    static int firstAtLeast(int m, int step) {
        int a = 0;
        int b = 65536;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (ladder(mid, step) >= m) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        return a;
    }

    /** The smallest magnitude in 0..65536 whose division bits min(7, floor(4 d / step)) are at least m. */
    static int firstAtLeastDivision(int m, int step) {
        int a = 0;
        int b = 65536;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (Math.min(7, 4 * mid / step) >= m) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        return a;
    }

    static Expected decode(byte[] file, ImaCells.Slack slack) throws IOException {
        return decode(file, ImaDialect.REFERENCE, slack);
    }

    /**
     * @param dialect which of the three to decode by: REFERENCE (the reference reconstruction, the ladder's cells),
     *                SOX (the reference reconstruction, the division encoder's cells) or FFMPEG (dq = ((2m + 1)
     *                step) / 8, the division encoder's cells)
     */
    static Expected decode(byte[] file, ImaDialect dialect, ImaCells.Slack slack) throws IOException {
        boolean ffmpeg = dialect == ImaDialect.FFMPEG;
        boolean division = dialect != ImaDialect.REFERENCE;
        WavHeader h;
        try {
            h = WavHeader.read(new ByteArrayInputStream(file), true);
        } catch (AudioFormatException e) {
            return new Expected(e, 0, null, null, null, null, -1);
        }
        if (h.ima() == null) {
            return new Expected(new AudioFormatException(AudioFormatException.Kind.UNSUPPORTED_FORMAT, -1, "PCM"), 0,
                    null, null, null, null, -1);
        }
        int ch = h.channels();
        int ba = h.ima().blockAlign();
        int spb = h.ima().samplesPerBlock();
        long end = h.dataBytes() < 0 ? file.length : Math.min(file.length, h.dataOffset() + h.dataBytes());
        long want = h.dataBytes() >= 0 && h.ima().factFrames() >= 0 ? h.ima().factFrames() : Long.MAX_VALUE;
        int[] x = new int[0];
        int[] lo = new int[0];
        int[] hi = new int[0];
        int frames = 0;
        for (long start = h.dataOffset(); start < end && frames < want; start += ba) {
            int have = (int) Math.min(ba, end - start);
            int decodable = have == ba ? spb : have < 4 * ch ? 0 : 1 + 8 * ((have - 4 * ch) / (4 * ch));
            if (have >= 4 * ch) {
                for (int c = 0; c < ch; c++) {
                    int at = (int) start + 4 * c;
                    if ((file[at + 2] & 0xff) > 88) {
                        return trimmed(ch, frames, x, lo, hi, AudioFormatException.Kind.BAD_BLOCK, at + 2);
                    }
                    if (file[at + 3] != 0) {
                        return trimmed(ch, frames, x, lo, hi, AudioFormatException.Kind.BAD_BLOCK, at + 3);
                    }
                }
            }
            int n = (int) Math.min(decodable, want - frames);
            if ((frames + n) * ch > x.length) {
                int size = Math.max(2 * x.length, (frames + n) * ch);
                x = Arrays.copyOf(x, size);
                lo = Arrays.copyOf(lo, size);
                hi = Arrays.copyOf(hi, size);
            }
            for (int c = 0; c < ch; c++) {
                int[] nibbles = new int[spb - 1];
                for (int g = 0; g < (spb - 1) / 8; g++) {
                    for (int j = 0; j < 4; j++) {
                        int at = (int) start + 4 * ch * (g + 1) + 4 * c + j;
                        int b = at < file.length ? file[at] & 0xff : 0;
                        nibbles[8 * g + 2 * j] = b & 15;
                        nibbles[8 * g + 2 * j + 1] = b >> 4;
                    }
                }
                int at = (int) start + 4 * c;
                int p = n == 0 ? 0 : (short) ((file[at] & 0xff) | (file[at + 1] & 0xff) << 8);
                int idx = n == 0 ? 0 : file[at + 2] & 0xff;
                for (int f = 0; f < n; f++) {
                    int i = (frames + f) * ch + c;
                    if (f == 0) {
                        x[i] = p;
                        int hs = c == 0 ? slack.header() : slack.laterHeader();
                        lo[i] = Math.max(-32768, p - hs);
                        hi[i] = Math.min(32767, p + hs);
                        continue;
                    }
                    int code = nibbles[f - 1];
                    int step = STEPS[idx];
                    int m = code & 7;
                    int dq = ffmpeg ? (2 * m + 1) * step / 8 : step / 8 + (m >= 4 ? step : 0)
                            + ((m & 2) != 0 ? step / 2 : 0) + ((m & 1) != 0 ? step / 4 : 0);
                    int s = Math.max(-32768, Math.min(32767, code >= 8 ? p - dq : p + dq));
                    int[] first = division ? FIRST_DIVISION[idx] : FIRST[idx];
                    int mLow = first[m];
                    int mHigh = first[m + 1] - 1; // 65535 for m = 7: beyond the range anyway
                    long l;
                    long u;
                    if (code < 8) {
                        l = (long) p + mLow - slack.inner();
                        u = (long) p + mHigh + slack.outer();
                    } else {
                        l = (long) p - mHigh - slack.outer();
                        u = (long) p - Math.max(1, mLow) + slack.inner();
                    }
                    x[i] = s;
                    lo[i] = (int) Math.min(s, Math.max(-32768, l));
                    hi[i] = (int) Math.max(s, Math.min(32767, u));
                    p = s;
                    idx = Math.max(0, Math.min(88, idx + INDEX[code]));
                }
            }
            frames += n;
            if (have < ba && frames < want) {
                long cut = have < 4 * ch ? start : start + 4L * ch * (have / (4 * ch));
                return trimmed(ch, frames, x, lo, hi, AudioFormatException.Kind.ODD_LENGTH, cut);
            }
        }
        return trimmed(ch, frames, x, lo, hi, null, -1);
    }

    private static Expected trimmed(int ch, int frames, int[] x, int[] lo, int[] hi, AudioFormatException.Kind kind,
                                    long offset) {
        int n = frames * ch;
        return new Expected(null, ch, Arrays.copyOf(x, n), Arrays.copyOf(lo, n), Arrays.copyOf(hi, n), kind, offset);
    }
}

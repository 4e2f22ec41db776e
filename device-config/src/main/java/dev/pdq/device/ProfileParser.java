package dev.pdq.device;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates one profile. The syntax is a strict subset of .properties: UTF-8, one {@code key = value}
 * a line, blank lines and lines starting with '#' or '!' ignored, no escapes and no continuation lines (so every
 * error has one line number). Unknown keys, duplicate keys, empty values and out-of-range values are errors.
 */
final class ProfileParser {

    /** Largest profile accepted, checked before parsing; real profiles are a few hundred bytes. */
    static final int MAX_BYTES = 64 * 1024;

    static final int MAX_THREADS = 256;
    static final int MAX_BATCH = 4096;
    static final int MAX_ITERATIONS = 1_000_000;
    static final Set<Integer> SHIFTS = Set.of(1, 2, 4, 8);
    static final long MIN_HEAP = 8L << 20;
    static final long MAX_HEAP = 64L << 30;

    static final String DESCRIPTION = "description";
    static final String BLAS_LIBRARY = "blas.library";
    static final String BLAS_THREADS = "blas.threads";
    static final String BLAS_CORETYPE = "blas.coretype";
    static final String BATCH = "batch";
    static final String ITERATIONS = "iterations";
    static final String SHIFTS_KEY = "shifts";
    static final String JVM_HEAP = "jvm.heap";

    /** Every key, in documentation order; true where required. */
    static final Map<String, Boolean> KEYS = keys();

    private static final Pattern INT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern CORE_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final Pattern HEAP = Pattern.compile("([1-9][0-9]{0,8})([kKmMgG])");

    private ProfileParser() {
    }

    private static Map<String, Boolean> keys() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put(DESCRIPTION, true);
        m.put(BLAS_LIBRARY, false);
        m.put(BLAS_THREADS, true);
        m.put(BLAS_CORETYPE, false);
        m.put(BATCH, true);
        m.put(ITERATIONS, false);
        m.put(SHIFTS_KEY, false);
        m.put(JVM_HEAP, true);
        return Collections.unmodifiableMap(m);
    }

    /** One line's key, value and line number. */
    private record Entry(String value, int line) {
    }

    /**
     * @param name    the profile's name
     * @param source  where the bytes came from, for messages
     * @param content the whole file, at most {@link #MAX_BYTES} (the caller reads at most MAX_BYTES + 1 bytes)
     */
    static DeviceProfile parse(String name, String source, byte[] content) throws DeviceProfileException {
        if (content.length > MAX_BYTES) {
            throw new DeviceProfileException(source, 0, null,
                    "file is larger than the limit of " + MAX_BYTES + " bytes");
        }
        String text = decode(source, content);
        Map<String, Entry> entries = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new DeviceProfileException(source, lineNo, null,
                        "expected 'key = value', found '" + shorten(line) + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) {
                throw new DeviceProfileException(source, lineNo, null, "empty key before '='");
            }
            if (!KEYS.containsKey(key)) {
                throw new DeviceProfileException(source, lineNo, shorten(key),
                        "unknown key (known keys: " + String.join(", ", KEYS.keySet()) + ")");
            }
            if (value.isEmpty()) {
                throw new DeviceProfileException(source, lineNo, key,
                        "empty value (leave an optional key out instead of giving it no value)");
            }
            Entry previous = entries.put(key, new Entry(value, lineNo));
            if (previous != null) {
                throw new DeviceProfileException(source, lineNo, key,
                        "duplicate key (first set on line " + previous.line + ")");
            }
        }
        for (Map.Entry<String, Boolean> k : KEYS.entrySet()) {
            if (k.getValue() && !entries.containsKey(k.getKey())) {
                throw new DeviceProfileException(source, 0, k.getKey(), "missing required key");
            }
        }
        String description = entries.get(DESCRIPTION).value;
        Entry lib = entries.get(BLAS_LIBRARY);
        Optional<Path> library = lib == null ? Optional.empty() : Optional.of(library(source, lib));
        int threads = integer(source, BLAS_THREADS, entries.get(BLAS_THREADS), 0, MAX_THREADS);
        Entry core = entries.get(BLAS_CORETYPE);
        Optional<String> coreType = core == null ? Optional.empty() : Optional.of(coreType(source, core));
        int batch = integer(source, BATCH, entries.get(BATCH), 1, MAX_BATCH);
        Entry it = entries.get(ITERATIONS);
        OptionalInt iterations = it == null ? OptionalInt.empty()
                : OptionalInt.of(integer(source, ITERATIONS, it, 1, MAX_ITERATIONS));
        int shifts = shifts(source, entries.get(SHIFTS_KEY));
        String heap = heap(source, entries.get(JVM_HEAP));
        return new DeviceProfile(name, source, description, library, threads, coreType, batch, iterations, shifts,
                heap);
    }

    private static String decode(String source, byte[] content) throws DeviceProfileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new DeviceProfileException(source, 0, null, "not valid UTF-8 text");
        }
    }

    private static Path library(String source, Entry e) throws DeviceProfileException {
        try {
            Path p = Path.of(e.value);
            if (!p.isAbsolute()) {
                throw new DeviceProfileException(source, e.line, BLAS_LIBRARY,
                        "'" + shorten(e.value) + "' is not an absolute path");
            }
            return p;
        } catch (InvalidPathException ex) {
            throw new DeviceProfileException(source, e.line, BLAS_LIBRARY,
                    "'" + shorten(e.value) + "' is not a valid path: " + ex.getReason());
        }
    }

    private static String coreType(String source, Entry e) throws DeviceProfileException {
        if (!CORE_TYPE.matcher(e.value).matches()) {
            throw new DeviceProfileException(source, e.line, BLAS_CORETYPE,
                    "'" + shorten(e.value) + "' is not an OpenBLAS core name (upper-case letters, digits and '_',"
                            + " at most 32, e.g. CORTEXA72, NEOVERSEN1, ARMV8, HASWELL)");
        }
        return e.value;
    }

    private static int integer(String source, String key, Entry e, int min, int max) throws DeviceProfileException {
        if (!INT.matcher(e.value).matches()) {
            throw new DeviceProfileException(source, e.line, key,
                    "'" + shorten(e.value) + "' is not an integer in " + min + ".." + max);
        }
        int v = Integer.parseInt(e.value);
        if (v < min || v > max) {
            throw new DeviceProfileException(source, e.line, key, v + " is outside " + min + ".." + max);
        }
        return v;
    }

    private static int shifts(String source, Entry e) throws DeviceProfileException {
        if (e == null) {
            return 1;
        }
        if (!INT.matcher(e.value).matches() || !SHIFTS.contains(Integer.parseInt(e.value))) {
            throw new DeviceProfileException(source, e.line, SHIFTS_KEY,
                    "'" + shorten(e.value) + "' is not one of 1, 2, 4, 8");
        }
        return Integer.parseInt(e.value);
    }

    private static String heap(String source, Entry e) throws DeviceProfileException {
        if (!HEAP.matcher(e.value).matches()) {
            throw new DeviceProfileException(source, e.line, JVM_HEAP,
                    "'" + shorten(e.value) + "' is not a heap size like 48m (digits, then k, m or g)");
        }
        long bytes = heapBytes(e.value);
        if (bytes < MIN_HEAP || bytes > MAX_HEAP) {
            throw new DeviceProfileException(source, e.line, JVM_HEAP,
                    e.value + " is outside 8m..64g");
        }
        return e.value;
    }

    /** Bytes of a heap size in -Xmx syntax that {@link #HEAP} accepted. */
    static long heapBytes(String heap) {
        var m = HEAP.matcher(heap);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a heap size: " + heap);
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        return n << shift;
    }

    /** Long or binary junk stays out of messages. */
    static String shorten(String s) {
        return shorten(s, 60);
    }

    /** s cut to {@code max} characters (then "..."), control characters shown as '?': safe to quote in a message. */
    static String shorten(String s, int max) {
        String t = s.length() > max ? s.substring(0, max) + "..." : s;
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}

package dev.pdq.device;

/**
 * A device profile that cannot be read or is invalid. The message names the file (or built-in profile), the line
 * and key where there is one, and what is wrong.
 */
public final class DeviceProfileException extends Exception {

    private final String source;
    private final int line;
    private final String key;

    DeviceProfileException(String source, int line, String key, String problem) {
        super(format(source, line, key, problem));
        this.source = source;
        this.line = line;
        this.key = key;
    }

    DeviceProfileException(String source, String problem, Throwable cause) {
        super(format(source, 0, null, problem), cause);
        this.source = source;
        this.line = 0;
        this.key = null;
    }

    /** The file path, or "built-in profile NAME". */
    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem is not on one line (a missing key, an unreadable file). */
    public int line() {
        return line;
    }

    /** The key concerned, or null. */
    public String key() {
        return key;
    }

    private static String format(String source, int line, String key, String problem) {
        StringBuilder sb = new StringBuilder("device profile ").append(source);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (key != null) {
            sb.append(", key '").append(key).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }
}

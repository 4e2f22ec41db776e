package dev.pdq.cli;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Function;

/**
 * An option's value to the enum constant of that command-line name; a value that names none is a usage error
 * naming the option (picocli adds it) and the valid names. A subclass with a no-argument constructor serves an
 * option as both {@code converter} and {@code completionCandidates}, so that {@code ${COMPLETION-CANDIDATES}} in
 * its description lists the names.
 *
 * @param <E> the enum
 */
public abstract class EnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E>, Iterable<String> {
    private final E[] values;
    private final Function<E, String> name;
    private final boolean ignoreCase;

    /**
     * @param name       the command-line name of a constant
     * @param ignoreCase match in any case and around blanks (else exactly)
     */
    protected EnumConverter(E[] values, Function<E, String> name, boolean ignoreCase) {
        this.values = values.clone();
        this.name = name;
        this.ignoreCase = ignoreCase;
    }

    /** Names that are the constants' names in lower case, matched in any case. */
    protected EnumConverter(E[] values) {
        this(values, e -> e.name().toLowerCase(Locale.ROOT), true);
    }

    @Override
    public E convert(String value) {
        String v = ignoreCase ? value.trim() : value;
        for (E e : values) {
            String n = name.apply(e);
            if (ignoreCase ? n.equalsIgnoreCase(v) : n.equals(v)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
    }

    /** The names, in declaration order. */
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(values).map(name).iterator();
    }
}

package io.spotlight.attribution;

import io.spotlight.events.Identified;

/** The kinds of value a method parameter takes. */
public enum ParameterType implements Identified {
    /** A whole number within a range. */
    INTEGER,
    /** A number within a range. */
    REAL,
    /** One of a fixed set of ids. */
    CHOICE,
    /** A path to a file, kept as given. */
    FILE,
    /** A value written in a form its parameter's doc describes. */
    TEXT
}

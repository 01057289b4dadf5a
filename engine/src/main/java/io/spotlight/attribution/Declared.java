package io.spotlight.attribution;

import io.spotlight.events.Identified;

/**
 * What takes declared parameters: an attribution method, or a score that judges an attribution.
 * Its id names it in configuration, events and on the command line; {@link Parameters} resolves a
 * call's values against its declaration.
 */
public interface Declared extends Identified {

    /** The parameters it takes and the values it records: its one declaration of them. */
    MethodParameters parameters();
}

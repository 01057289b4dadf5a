package io.spotlight.events;

import java.util.List;

/**
 * What normal focus looks like for one model (and class): the mean grid, entropy, centre and
 * forbidden mass, and the top tokens, over {@code count} explanations made with {@code method}.
 * Pinned from a file made by `spotlight baseline`, or learned from the first windows after start.
 */
public record FocusReference(String method, long count, double[] grid, double entropy, double centreY, double centreX,
                             double forbidden, double watch, List<String> topTokens) {}

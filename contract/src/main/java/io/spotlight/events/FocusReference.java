package io.spotlight.events;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What normal focus looks like for one model (and class): the mean grid, entropy, centre and
 * forbidden mass, and the top tokens, over {@code count} explanations made with {@code method};
 * and {@code sample}, a uniform sample of those explanations' statistics, from which the null
 * distribution of every window statistic is resampled (windows of a given size drawn from the
 * sample, each compared with a reference resampled the same way). {@code id} names the reference
 * in drift and alert events (a digest of its content). Pinned from a file made by `spotlight
 * baseline`, or learned from a version's first windows. {@code faithfulness}: the mean gain over a
 * random order of its scored maps (the mean of each one's deletion and insertion gains), null when
 * none was scored.
 */
public record FocusReference(String id, String method, long count, double[] grid, double entropy, double centreY, double centreX,
                             double forbidden, double watch, List<String> topTokens, List<FocusStats> sample, Double faithfulness) {

    /** A reference whose maps were not scored. */
    public FocusReference(String id, String method, long count, double[] grid, double entropy, double centreY, double centreX,
                          double forbidden, double watch, List<String> topTokens, List<FocusStats> sample) {
        this(id, method, count, grid, entropy, centreY, centreX, forbidden, watch, topTokens, sample, null);
    }

    /** The same reference without its sample (what per-class entries of a file keep). */
    public FocusReference withoutSample() {
        return new FocusReference(id, method, count, grid, entropy, centreY, centreX, forbidden, watch, topTokens, null, faithfulness);
    }

    /** This reference named by a digest of its content (the first 16 hex digits of SHA-256 of its JSON without the id). */
    public FocusReference identified() {
        FocusReference anonymous = new FocusReference(null, method, count, grid, entropy, centreY, centreX, forbidden, watch, topTokens, sample,
                faithfulness);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.bytes(anonymous));
            return new FocusReference("ref-" + HexFormat.of().formatHex(d, 0, 8), method, count, grid, entropy, centreY, centreX,
                    forbidden, watch, topTokens, sample, faithfulness);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasSample() {
        return sample != null && !sample.isEmpty();
    }
}

package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * Where one explanation's map puts its mass (|map|, normalised to sum 1). Images: the mass on a
 * fixed grid, its entropy (normalised to [0, 1]), centre of mass (fractions of the image), mass in
 * the expected region and in each forbidden region, the top cells. Text: the mass over token
 * positions (a fixed number of bins), entropy and centre over positions, the mass on watch-listed
 * tokens, the top tokens. Where the map was scored, its deletion and insertion gains over a random
 * order of the same record's units (how faithful it is).
 */
public record FocusStats(
        String method,
        String kind,
        int[] gridShape,
        float[] grid,
        double entropy,
        double centreY,
        double centreX,
        Double expectedMass,
        Map<String, Double> forbiddenMass,
        double forbiddenTotal,
        List<Cell> topCells,
        List<TokenMass> topTokens,
        Double watchMass,
        Map<String, Double> tokenMass,
        Double deletionGain,
        Double insertionGain) {

    /** Statistics of a map that was not scored. */
    public FocusStats(String method, String kind, int[] gridShape, float[] grid, double entropy, double centreY, double centreX,
                      Double expectedMass, Map<String, Double> forbiddenMass, double forbiddenTotal, List<Cell> topCells,
                      List<TokenMass> topTokens, Double watchMass, Map<String, Double> tokenMass) {
        this(method, kind, gridShape, grid, entropy, centreY, centreX, expectedMass, forbiddenMass, forbiddenTotal, topCells, topTokens,
                watchMass, tokenMass, null, null);
    }

    /** The same statistics with the map's deletion and insertion gains over a random order (faithfulness). */
    public FocusStats scored(double deletion, double insertion) {
        return new FocusStats(method, kind, gridShape, grid, entropy, centreY, centreX, expectedMass, forbiddenMass, forbiddenTotal, topCells,
                topTokens, watchMass, tokenMass, deletion, insertion);
    }

    /** Whether the map was scored: its gains are known. */
    @JsonIgnore
    public boolean isScored() {
        return deletionGain != null && insertionGain != null;
    }

    /** A grid cell and its mass. */
    public record Cell(int row, int col, double mass) {}

    /** A token (its text, lower-cased) and the mass on it. */
    public record TokenMass(String token, double mass) {}

    @JsonIgnore
    public boolean isText() {
        return "text".equals(kind);
    }
}

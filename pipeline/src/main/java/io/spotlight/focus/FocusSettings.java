package io.spotlight.focus;

import io.spotlight.model.ModelCard.FocusSpec;
import io.spotlight.model.ModelCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A model's focus definition, resolved from its card: the image grid and regions, or the text
 * watch list; and how many top cells / tokens to keep.
 */
public record FocusSettings(int gridRows, int gridCols, Region expected, List<Region> forbidden,
                            List<String> watchTokens, List<Pattern> watchPatterns, int top, int textBins) {

    public static final int DEFAULT_GRID = 7;

    public static FocusSettings of(ModelCard card) {
        FocusSpec f = card.focus();
        Region expected = f != null && f.expected() != null ? Region.of(f.expected(), card.directory()) : null;
        List<Region> forbidden = new ArrayList<>();
        if (f != null && f.forbidden() != null) {
            f.forbidden().forEach(r -> forbidden.add(Region.of(r, card.directory())));
        }
        List<String> tokens = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        if (f != null && f.watch() != null) {
            if (f.watch().tokens() != null) {
                f.watch().tokens().forEach(t -> tokens.add(t.toLowerCase(Locale.ROOT)));
            }
            if (f.watch().patterns() != null) {
                f.watch().patterns().forEach(p -> patterns.add(Pattern.compile(p)));
            }
        }
        return new FocusSettings(DEFAULT_GRID, DEFAULT_GRID, expected, forbidden, tokens, patterns, 5, 8);
    }

    public boolean watched(String token) {
        if (watchTokens.contains(token)) {
            return true;
        }
        for (Pattern p : watchPatterns) {
            if (p.matcher(token).find()) {
                return true;
            }
        }
        return false;
    }
}

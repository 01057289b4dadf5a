package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nDCG of a window's top tokens against the reference's masses, checked against sums written out by hand. */
class TokenRankingTest {

    static final Map<String, Double> REFERENCE = Map.of("good", 0.30, "not", 0.20, "zipper", 0.10, "the", 0.05);

    @Test
    void theReferencesOwnOrderScoresOneAndOthersLess() {
        assertThat(TokenRanking.ndcg(List.of("good", "not", "zipper"), REFERENCE, 3)).isEqualTo(1.0);
        // Swapped top two: (0.2 / 1 + 0.3 / log2 3 + 0.1 / 2) / (0.3 / 1 + 0.2 / log2 3 + 0.1 / 2)
        double idcg = 0.3 + 0.2 / (Math.log(3) / Math.log(2)) + 0.1 / 2;
        double dcg = 0.2 + 0.3 / (Math.log(3) / Math.log(2)) + 0.1 / 2;
        assertThat(TokenRanking.ndcg(List.of("not", "good", "zipper"), REFERENCE, 3)).isCloseTo(dcg / idcg, within(1e-12));
        // A watched token that took the lead pushes the rest down.
        double pushed = (0 + 0.3 / (Math.log(3) / Math.log(2)) + 0.2 / 2) / idcg;
        assertThat(TokenRanking.ndcg(List.of("@shopfan42", "good", "not"), REFERENCE, 3)).isCloseTo(pushed, within(1e-12));
        assertThat(TokenRanking.ndcg(List.of("a", "b", "c"), REFERENCE, 3)).isZero();
        assertThat(TokenRanking.ndcg(List.of("good"), Map.of(), 3)).isNaN();
    }
}

package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pass shapes from the ladder: whole passes of the chunk, then the rest split into rungs or padded
 * into a larger one, whichever costs less at the model's pass overhead; and the schedule that
 * puts rows of a recorded layout back in passes of their shapes.
 */
class PassLadderTest {

    @Test
    void theLadderIsThePowersOfTwoBelowTheChunkAndTheChunk() {
        assertThat(new PassLadder(16, 0).rungs()).containsExactly(1, 2, 4, 8, 16);
        assertThat(new PassLadder(12, 0).rungs()).containsExactly(1, 2, 4, 8, 12);
        assertThat(new PassLadder(1, 0).rungs()).containsExactly(1);
    }

    @Test
    void withoutOverheadTheRestIsSplitIntoRungsAndNothingIsPadded() {
        PassLadder ladder = new PassLadder(16, 0);
        assertThat(ladder.shapes(1)).containsExactly(1);
        assertThat(ladder.shapes(16)).containsExactly(16);
        assertThat(ladder.shapes(52)).containsExactly(16, 16, 16, 4);
        assertThat(ladder.shapes(7)).containsExactly(4, 2, 1);
        assertThat(ladder.shapes(0)).isEmpty();
    }

    @Test
    void whereAPassCostsMoreThanItsRowsTheRestGoesInFewerPaddedPasses() {
        // cost of a cover = overhead per pass + rows: 7 rows are 4+2+1 (3 k + 7) or one pass of 8 (k + 8).
        assertThat(new PassLadder(16, 0.4).shapes(7)).containsExactly(4, 2, 1);
        assertThat(new PassLadder(16, 0.6).shapes(7)).containsExactly(8);
        // 5 rows: 4+1 (2 k + 5) or 8 (k + 8): padding wins only once a pass costs more than 3 rows.
        assertThat(new PassLadder(16, 2.9).shapes(5)).containsExactly(4, 1);
        assertThat(new PassLadder(16, 3.1).shapes(5)).containsExactly(8);
        assertThat(new PassLadder(16, 100).shapes(45)).containsExactly(16, 16, 16);
        assertThat(new PassLadder(12, 100).shapes(11)).containsExactly(12);
    }

    @Test
    void aScheduleRunsEveryRowInAPassOfItsShapeWhateverItsNeighbours() {
        // Two records' recorded layouts side by side: rows of one shape share passes, a short one is padded.
        PassSchedule s = PassSchedule.of(new int[] {16, 16, 4, 16, 4, 4});
        assertThat(s.passes()).extracting(PassSchedule.Pass::shape).containsExactly(16, 4);
        assertThat(s.passes().get(0).rows()).containsExactly(0, 1, 3);
        assertThat(s.passes().get(1).rows()).containsExactly(2, 4, 5);
        assertThat(s.layout(0, 3)).hasToString("16:2,4:1");
        assertThat(s.layout(3, 6)).hasToString("16:1,4:2");
        PassSchedule inOrder = PassSchedule.inOrder(List.of(16, 16, 4), 35);
        assertThat(inOrder.passes()).extracting(p -> p.rows().length).containsExactly(16, 16, 3);
        assertThatThrownBy(() -> PassSchedule.inOrder(List.of(4), 5)).hasMessageContaining("fewer than 5 rows");
    }

    @Test
    void aModelSettingsOverheadMustBeANumber() {
        assertThatThrownBy(() -> new PassLadder(16, Double.NaN)).hasMessageContaining("overhead");
        assertThatThrownBy(() -> new PassLadder(0, 0)).hasMessageContaining("chunk");
    }
}

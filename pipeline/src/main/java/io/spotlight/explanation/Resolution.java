package io.spotlight.explanation;

import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.numeric.Resize;
import java.util.List;

/**
 * Attribution maps at a coarser resolution, for an event that would not fit in one record (maps of
 * a large input, several methods): image maps are halved until it does. Text maps keep one value
 * per token.
 */
final class Resolution {

    private Resolution() {}

    /** Every image map larger than 1 x 1 at half its resolution; the same list when there is none. */
    static List<MethodResult> halved(List<MethodResult> results) {
        if (results.stream().noneMatch(Resolution::halvable)) {
            return results;
        }
        return results.stream().map(r -> halvable(r) ? halved(r) : r).toList();
    }

    private static boolean halvable(MethodResult r) {
        int[] shape = r.map().shape();
        return shape.length == 2 && shape[0] * shape[1] > 1;
    }

    private static MethodResult halved(MethodResult r) {
        int[] shape = r.map().shape();
        float[] coarser = Resize.halve(r.map().values(), shape[0], shape[1]);
        return new MethodResult(r.method(), r.parameters(), EncodedMap.of(coarser, (shape[0] + 1) / 2, (shape[1] + 1) / 2), r.tokens(),
                r.summary(), r.elapsedMs(), r.faithfulness());
    }
}

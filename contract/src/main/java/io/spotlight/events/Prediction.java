package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the model answered: the class, and its probabilities in full or as top-k. */
public record Prediction(
        @JsonProperty("class") int classIndex,
        String label,
        double[] probabilities,
        List<ClassProbability> topK) {

    public record ClassProbability(@JsonProperty("class") int classIndex, String label, double probability) {}

    /** The classes by decreasing probability, from whichever form the event carries. */
    public List<ClassProbability> ranked() {
        if (probabilities != null) {
            ArrayList<ClassProbability> all = new ArrayList<>(probabilities.length);
            for (int c = 0; c < probabilities.length; c++) {
                all.add(new ClassProbability(c, null, probabilities[c]));
            }
            all.sort(Comparator.comparingDouble(ClassProbability::probability).reversed()
                    .thenComparingInt(ClassProbability::classIndex));
            return all;
        }
        return topK.stream()
                .sorted(Comparator.comparingDouble(ClassProbability::probability).reversed()
                        .thenComparingInt(ClassProbability::classIndex))
                .toList();
    }

    /** The probability of a class, or null where the event does not say. */
    public Double probabilityOf(int c) {
        if (probabilities != null) {
            return c < probabilities.length ? probabilities[c] : null;
        }
        return topK.stream().filter(p -> p.classIndex() == c).map(ClassProbability::probability).findFirst().orElse(null);
    }
}

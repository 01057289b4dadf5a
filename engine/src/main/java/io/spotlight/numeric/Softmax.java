package io.spotlight.numeric;

/** exp(x_i - max) / sum: the probabilities of logits, stable for large values. */
public final class Softmax {

    private Softmax() {}

    public static double[] of(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = StrictMath.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}

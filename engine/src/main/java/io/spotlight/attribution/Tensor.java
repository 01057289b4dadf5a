package io.spotlight.attribution;

import java.util.Arrays;

/** Float values in C order with their shape: how results leave the native engine. */
public record Tensor(float[] values, long[] shape) {

    public Tensor {
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
    }

    public int[] intShape() {
        return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    }
}

package io.spotlight.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/** An attribution map as it travels in events: shape plus little-endian float32, base64. */
public record EncodedMap(int[] shape, String encoding, String data) {

    public static final String ENCODING = "f32le-base64";

    public static EncodedMap of(float[] values, int... shape) {
        if (Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
        return new EncodedMap(shape.clone(), ENCODING, Base64.getEncoder().encodeToString(littleEndian(values)));
    }

    public float[] values() {
        if (!ENCODING.equals(encoding)) {
            throw new IllegalArgumentException("unknown map encoding " + encoding);
        }
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(data)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    public static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedMap m && Arrays.equals(shape, m.shape) && encoding.equals(m.encoding) && data.equals(m.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + data.hashCode();
    }

    @Override
    public String toString() {
        return "EncodedMap" + Arrays.toString(shape);
    }
}

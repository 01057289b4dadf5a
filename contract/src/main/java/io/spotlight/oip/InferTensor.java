package io.spotlight.oip;

import static io.spotlight.events.DeadLetter.Reason.SHAPE_MISMATCH;

import io.spotlight.events.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor of a request or response, whatever form it arrived in (typed contents, JSON data or
 * raw contents), held as the protocol's raw form: flattened row-major, little-endian; a BYTES
 * element is a 4-byte little-endian length and then its bytes. {@link #of} checks that the data
 * and the shape agree, so every InferTensor is consistent.
 */
public record InferTensor(String name, Datatype datatype, long[] shape, byte[] raw) {

    /** A tensor whose raw contents hold exactly the elements its shape says. */
    public static InferTensor of(String name, Datatype datatype, long[] shape, byte[] raw) throws InvalidInputException {
        long count = elements(name, shape);
        if (datatype == Datatype.BYTES) {
            long found = countBytesElements(name, raw);
            if (found != count) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " (" + count + " elements) but " + found + " BYTES elements");
            }
        } else if (raw.length != count * datatype.size()) {
            throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " needs " + count * datatype.size() + " bytes of " + datatype + ", the contents have " + raw.length);
        }
        return new InferTensor(name, datatype, shape.clone(), raw);
    }

    /** The number of elements a shape holds; negative dimensions or more than an array can hold are refused. */
    public static long elements(String name, long[] shape) throws InvalidInputException {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
            if (count > Integer.MAX_VALUE) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return count;
    }

    public int count() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** Little-endian view of the raw contents (numeric datatypes). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Elements {@code from .. from + n} as doubles (numeric datatypes). */
    public double[] values(int from, int n) {
        ByteBuffer b = buffer();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = datatype.value(b, from + i);
        }
        return out;
    }

    /** The elements of a BYTES tensor. */
    public List<byte[]> byteElements() {
        ByteBuffer b = buffer();
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            byte[] e = new byte[b.getInt()];
            b.get(e);
            out.add(e);
        }
        return out;
    }

    /** The raw form of BYTES elements: each one's 4-byte little-endian length, then its bytes. */
    public static byte[] rawBytes(List<byte[]> elements) {
        int size = elements.stream().mapToInt(e -> 4 + e.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            b.putInt(e.length).put(e);
        }
        return b.array();
    }

    private static long countBytesElements(String name, byte[] raw) throws InvalidInputException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long n = 0;
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "': BYTES contents end inside a length prefix");
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "': a BYTES element claims " + (length & 0xFFFFFFFFL)
                        + " bytes, " + b.remaining() + " remain");
            }
            b.position(b.position() + length);
            n++;
        }
        return n;
    }
}

package io.spotlight.oip;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.InvalidInputException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The Open Inference Protocol's tensor datatypes and the size of one element in bytes (BYTES
 * elements vary: raw contents give each one a 4-byte little-endian length before its bytes).
 */
public enum Datatype {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), FP32(4), FP64(8), BYTES(0);

    private final int size;

    Datatype(int size) {
        this.size = size;
    }

    /** Bytes per element; 0 for BYTES, whose elements carry their own length. */
    public int size() {
        return size;
    }

    public boolean isFloat() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /** The datatype a message names, or an unknown-datatype rejection naming it. */
    public static Datatype of(String name) throws InvalidInputException {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException(DeadLetter.Reason.UNKNOWN_DATATYPE,
                    "datatype '" + name + "' is not one of the protocol's " + Arrays.toString(values()));
        }
    }

    /** Element {@code i} of little-endian raw contents as a double (exact for all but the widest integers). */
    public double value(ByteBuffer raw, int i) {
        return switch (this) {
            case BOOL, UINT8 -> raw.get(i) & 0xFF;
            case UINT16 -> raw.getShort(2 * i) & 0xFFFF;
            case UINT32 -> raw.getInt(4 * i) & 0xFFFFFFFFL;
            case UINT64 -> unsigned(raw.getLong(8 * i));
            case INT8 -> raw.get(i);
            case INT16 -> raw.getShort(2 * i);
            case INT32 -> raw.getInt(4 * i);
            case INT64 -> raw.getLong(8 * i);
            case FP16 -> Half.toFloat(raw.getShort(2 * i));
            case FP32 -> raw.getFloat(4 * i);
            case FP64 -> raw.getDouble(8 * i);
            case BYTES -> throw new IllegalStateException("BYTES elements are not numbers");
        };
    }

    /** Writes a floating-point element (FP16, FP32, FP64). */
    void putFloat(ByteBuffer raw, int i, double v) {
        switch (this) {
            case FP16 -> raw.putShort(2 * i, Half.fromFloat((float) v));
            case FP32 -> raw.putFloat(4 * i, (float) v);
            case FP64 -> raw.putDouble(8 * i, v);
            default -> throw new IllegalStateException(this + " is not a floating-point datatype");
        }
    }

    /** Writes an integer element (BOOL and the integer datatypes); UINT64 takes the unsigned value's bits. */
    void putInteger(ByteBuffer raw, int i, long v) {
        switch (size) {
            case 1 -> raw.put(i, (byte) v);
            case 2 -> raw.putShort(2 * i, (short) v);
            case 4 -> raw.putInt(4 * i, (int) v);
            case 8 -> raw.putLong(8 * i, v);
            default -> throw new IllegalStateException(this + " is not an integer datatype");
        }
    }

    /** Whether an integer is a value of this datatype (BOOL: 0 or 1); UINT64 checks its unsigned value elsewhere. */
    boolean fits(long v) {
        return switch (this) {
            case BOOL -> v == 0 || v == 1;
            case UINT8 -> v >= 0 && v <= 0xFF;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case UINT32 -> v >= 0 && v <= 0xFFFFFFFFL;
            case UINT64 -> v >= 0;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case INT64 -> true;
            default -> false;
        };
    }

    private static double unsigned(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }
}

package io.spotlight.oip;

import static io.spotlight.events.DeadLetter.Reason.BAD_ENCODING;
import static io.spotlight.events.DeadLetter.Reason.MALFORMED_PROTOBUF;
import static io.spotlight.events.DeadLetter.Reason.SHAPE_MISMATCH;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.spotlight.events.InvalidInputException;
import io.spotlight.oip.OpenInference.InferTensorContents;
import io.spotlight.oip.OpenInference.ModelInferRequest;
import io.spotlight.oip.OpenInference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ModelInferRequest / ModelInferResponse bytes (as Seldon Core 2 writes them to its model topics,
 * and Triton and KServe send over gRPC) to and from {@link InferMessage}. The two messages have the
 * same field numbers, so which one a record holds comes from where it was read, not from its bytes.
 */
public final class OipProtobuf {

    private OipProtobuf() {}

    public static InferMessage read(byte[] bytes, InferMessage.Role role) throws InvalidInputException {
        try {
            if (role == InferMessage.Role.REQUEST) {
                ModelInferRequest r = ModelInferRequest.parseFrom(bytes);
                List<InferTensor> tensors = new ArrayList<>(r.getInputsCount());
                checkRaw(r.getRawInputContentsCount(), r.getInputsCount(), "raw_input_contents", "inputs");
                for (int i = 0; i < r.getInputsCount(); i++) {
                    ModelInferRequest.InferInputTensor t = r.getInputs(i);
                    tensors.add(tensor(t.getName(), t.getDatatype(), t.getShapeList(), t.hasContents() ? t.getContents() : null,
                            r.getRawInputContentsCount() > 0 ? r.getRawInputContents(i) : null));
                }
                return new InferMessage(role, r.getId(), r.getModelName(), r.getModelVersion(), null, tensors);
            }
            ModelInferResponse r = ModelInferResponse.parseFrom(bytes);
            List<InferTensor> tensors = new ArrayList<>(r.getOutputsCount());
            checkRaw(r.getRawOutputContentsCount(), r.getOutputsCount(), "raw_output_contents", "outputs");
            for (int i = 0; i < r.getOutputsCount(); i++) {
                ModelInferResponse.InferOutputTensor t = r.getOutputs(i);
                tensors.add(tensor(t.getName(), t.getDatatype(), t.getShapeList(), t.hasContents() ? t.getContents() : null,
                        r.getRawOutputContentsCount() > 0 ? r.getRawOutputContents(i) : null));
            }
            return new InferMessage(role, r.getId(), r.getModelName(), r.getModelVersion(), null, tensors);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException(MALFORMED_PROTOBUF, "not a " + (role == InferMessage.Role.REQUEST
                    ? "ModelInferRequest" : "ModelInferResponse") + ": " + e.getMessage());
        }
    }

    /** The message as the protocol's bytes, tensors in raw contents (as Triton and Seldon send them). */
    public static byte[] write(InferMessage m) {
        if (m.role() == InferMessage.Role.REQUEST) {
            ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setId(m.id()).setModelName(nonNull(m.modelName()))
                    .setModelVersion(nonNull(m.modelVersion()));
            for (InferTensor t : m.tensors()) {
                b.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(t.name()).setDatatype(t.datatype().name())
                        .addAllShape(boxed(t.shape())));
                b.addRawInputContents(ByteString.copyFrom(t.raw()));
            }
            return b.build().toByteArray();
        }
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setId(m.id()).setModelName(nonNull(m.modelName()))
                .setModelVersion(nonNull(m.modelVersion()));
        for (InferTensor t : m.tensors()) {
            b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(t.name()).setDatatype(t.datatype().name())
                    .addAllShape(boxed(t.shape())));
            b.addRawOutputContents(ByteString.copyFrom(t.raw()));
        }
        return b.build().toByteArray();
    }

    private static void checkRaw(int raw, int tensors, String rawField, String tensorField) throws InvalidInputException {
        if (raw > 0 && raw != tensors) {
            throw new InvalidInputException(SHAPE_MISMATCH, raw + " " + rawField + " for " + tensors + " " + tensorField);
        }
    }

    private static InferTensor tensor(String name, String datatypeName, List<Long> shapeList, InferTensorContents contents,
                                      ByteString raw) throws InvalidInputException {
        Datatype datatype = Datatype.of(datatypeName);
        long[] shape = shapeList.stream().mapToLong(Long::longValue).toArray();
        if (raw != null) {
            if (contents != null && count(contents) > 0) {
                throw new InvalidInputException(BAD_ENCODING, "tensor '" + name + "' has both contents and raw contents");
            }
            return InferTensor.of(name, datatype, shape, raw.toByteArray());
        }
        long n = InferTensor.elements(name, shape);
        InferTensorContents c = contents == null ? InferTensorContents.getDefaultInstance() : contents;
        int matching = matching(datatype, c);
        if (matching != count(c)) {
            throw new InvalidInputException(BAD_ENCODING, "tensor '" + name + "' of datatype " + datatype
                    + " carries contents in a field of another datatype" + (datatype == Datatype.FP16 ? " (FP16 travels as raw contents only)" : ""));
        }
        if (matching != n) {
            throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' has shape " + shapeList + " (" + n + " elements) but "
                    + matching + " contents");
        }
        if (datatype == Datatype.BYTES) {
            return InferTensor.of(name, datatype, shape, InferTensor.rawBytes(c.getBytesContentsList().stream().map(ByteString::toByteArray).toList()));
        }
        ByteBuffer out = ByteBuffer.allocate((int) n * datatype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (datatype) {
                case BOOL -> datatype.putInteger(out, i, c.getBoolContents(i) ? 1 : 0);
                case INT8, INT16, INT32 -> integer(datatype, out, i, c.getIntContents(i), name);
                case UINT8, UINT16, UINT32 -> integer(datatype, out, i, Integer.toUnsignedLong(c.getUintContents(i)), name);
                case INT64 -> datatype.putInteger(out, i, c.getInt64Contents(i));
                case UINT64 -> datatype.putInteger(out, i, c.getUint64Contents(i));
                case FP32 -> datatype.putFloat(out, i, c.getFp32Contents(i));
                case FP64 -> datatype.putFloat(out, i, c.getFp64Contents(i));
                default -> throw new IllegalStateException(datatype.name());
            }
        }
        return InferTensor.of(name, datatype, shape, out.array());
    }

    private static void integer(Datatype datatype, ByteBuffer out, int i, long v, String name) throws InvalidInputException {
        if (!datatype.fits(v)) {
            throw new InvalidInputException(BAD_ENCODING, "tensor '" + name + "': " + v + " is not a " + datatype + " value");
        }
        datatype.putInteger(out, i, v);
    }

    private static int matching(Datatype datatype, InferTensorContents c) {
        return switch (datatype) {
            case BOOL -> c.getBoolContentsCount();
            case INT8, INT16, INT32 -> c.getIntContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
            case UINT64 -> c.getUint64ContentsCount();
            case FP32 -> c.getFp32ContentsCount();
            case FP64 -> c.getFp64ContentsCount();
            case BYTES -> c.getBytesContentsCount();
            case FP16 -> 0;
        };
    }

    private static int count(InferTensorContents c) {
        return c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount() + c.getUintContentsCount()
                + c.getUint64ContentsCount() + c.getFp32ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount();
    }

    private static List<Long> boxed(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}

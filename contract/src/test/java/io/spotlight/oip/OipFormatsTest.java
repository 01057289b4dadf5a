package io.spotlight.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.InvalidInputException;
import io.spotlight.oip.OpenInference.InferTensorContents;
import io.spotlight.oip.OpenInference.ModelInferRequest;
import io.spotlight.oip.OpenInference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The protocol's encodings against its specification: typed and raw contents, JSON, CloudEvents, every datatype. */
class OipFormatsTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSpecificationsJsonExamplesRead() throws Exception {
        // The request and response of the REST specification's "Inference Request Examples".
        InferMessage request = OipJson.read(utf8("""
                {"id" : "42", "inputs" : [
                   {"name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "data" : [ 1, 2, 3, 4 ]},
                   {"name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "data" : [ true, false, true ]}],
                 "outputs" : [ {"name" : "output0"} ]}"""), InferMessage.Role.REQUEST);
        assertThat(request.id()).isEqualTo("42");
        assertThat(request.tensors()).extracting(InferTensor::name).containsExactly("input0", "input1");
        assertThat(request.tensors().get(0).values(0, 4)).containsExactly(1, 2, 3, 4);
        assertThat(request.tensors().get(1).values(0, 3)).containsExactly(1, 0, 1);
        InferMessage response = OipJson.read(utf8("""
                {"id" : "42", "outputs" : [{"name" : "output0", "shape" : [ 3, 2 ], "datatype" : "FP32",
                  "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]}]}"""), InferMessage.Role.RESPONSE);
        assertThat(response.tensors().get(0).shape()).containsExactly(3, 2);
        assertThat(response.tensors().get(0).values(0, 6)).containsExactly(1.0, (double) 1.1f, 2.0, (double) 2.1f, 3.0, (double) 3.1f);
        // Nested row-major data is the same tensor as flat data.
        InferMessage nested = OipJson.read(utf8("""
                {"outputs" : [{"name" : "output0", "shape" : [ 3, 2 ], "datatype" : "FP32",
                  "data" : [[1.0, 1.1], [2.0, 2.1], [3.0, 3.1]]}]}"""), InferMessage.Role.RESPONSE);
        assertThat(nested.tensors().get(0).raw()).isEqualTo(response.tensors().get(0).raw());
    }

    @Test
    void typedAndRawContentsOfEveryDatatypeGiveTheSameTensor() throws Exception {
        // Each datatype's typed field (as the gRPC specification assigns them) vs hand-written little-endian bytes.
        check("BOOL", InferTensorContents.newBuilder().addBoolContents(true).addBoolContents(false), new byte[] {1, 0});
        check("UINT8", InferTensorContents.newBuilder().addUintContents(255).addUintContents(7), new byte[] {(byte) 255, 7});
        check("UINT16", InferTensorContents.newBuilder().addUintContents(0xABCD).addUintContents(1), new byte[] {(byte) 0xCD, (byte) 0xAB, 1, 0});
        check("UINT32", InferTensorContents.newBuilder().addUintContents(-1).addUintContents(2), new byte[] {-1, -1, -1, -1, 2, 0, 0, 0});
        check("UINT64", InferTensorContents.newBuilder().addUint64Contents(-2L).addUint64Contents(3), le(-2L, 3L));
        check("INT8", InferTensorContents.newBuilder().addIntContents(-128).addIntContents(127), new byte[] {-128, 127});
        check("INT16", InferTensorContents.newBuilder().addIntContents(-2).addIntContents(300), new byte[] {-2, -1, 44, 1});
        check("INT32", InferTensorContents.newBuilder().addIntContents(-1).addIntContents(65536), new byte[] {-1, -1, -1, -1, 0, 0, 1, 0});
        check("INT64", InferTensorContents.newBuilder().addInt64Contents(Long.MIN_VALUE).addInt64Contents(5), le(Long.MIN_VALUE, 5L));
        check("FP32", InferTensorContents.newBuilder().addFp32Contents(1.5f).addFp32Contents(-2f),
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array());
        check("FP64", InferTensorContents.newBuilder().addFp64Contents(0.1).addFp64Contents(-3),
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3).array());
        check("BYTES", InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("ab")).addBytesContents(ByteString.EMPTY),
                new byte[] {2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0});
    }

    private static void check(String datatype, InferTensorContents.Builder typed, byte[] raw) throws Exception {
        ModelInferRequest.InferInputTensor.Builder t = ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype(datatype).addShape(2);
        InferTensor fromTyped = OipProtobuf.read(ModelInferRequest.newBuilder().setId("1").addInputs(t.clone().setContents(typed))
                .build().toByteArray(), InferMessage.Role.REQUEST).tensors().get(0);
        InferTensor fromRaw = OipProtobuf.read(ModelInferRequest.newBuilder().setId("1").addInputs(t)
                .addRawInputContents(ByteString.copyFrom(raw)).build().toByteArray(), InferMessage.Role.REQUEST).tensors().get(0);
        assertThat(fromTyped.raw()).as(datatype).isEqualTo(raw);
        assertThat(fromRaw.raw()).as(datatype).isEqualTo(raw);
        // And through JSON and back, as the demo and produce write it.
        InferMessage m = new InferMessage(InferMessage.Role.REQUEST, "1", "m", "", null, List.of(fromRaw));
        assertThat(OipJson.read(OipJson.write(m), InferMessage.Role.REQUEST).tensors().get(0).raw()).as(datatype + " via JSON").isEqualTo(raw);
        assertThat(OipProtobuf.read(OipProtobuf.write(m), InferMessage.Role.REQUEST).tensors().get(0).raw()).as(datatype + " via Protobuf").isEqualTo(raw);
    }

    @Test
    void fp16IsIeeeBinary16() throws Exception {
        // Bit patterns from IEEE 754: 1, -2, the largest normal, the smallest subnormal, 1/3 rounded, infinity.
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x3555, 0x7C00};
        float[] values = {1f, -2f, 65504f, 0x1p-24f, 0.333251953125f, Float.POSITIVE_INFINITY};
        ByteBuffer raw = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (short b : bits) {
            raw.putShort(b);
        }
        InferTensor t = InferTensor.of("h", Datatype.FP16, new long[] {6}, raw.array());
        for (int i = 0; i < 6; i++) {
            assertThat(t.values(0, 6)[i]).as("element %d", i).isEqualTo(values[i]);
            assertThat(Half.fromFloat(values[i])).as("element %d back", i).isEqualTo(bits[i]);
        }
        assertThat(Half.fromFloat(1f / 3)).as("round to nearest").isEqualTo((short) 0x3555);
        assertThat(Half.fromFloat(1e6f)).as("overflow").isEqualTo((short) 0x7C00);
        // FP16 has no typed field in the protocol: it travels raw only.
        assertThatReason(() -> OipProtobuf.read(ModelInferRequest.newBuilder().addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("h").setDatatype("FP16").addShape(1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .build().toByteArray(), InferMessage.Role.REQUEST), DeadLetter.Reason.BAD_ENCODING);
    }

    @ParameterizedTest
    @EnumSource(value = Datatype.class, names = {"UINT8", "INT8", "INT16", "UINT16", "BOOL"})
    void integersOutOfTheirDatatypesRangeAreRefused(Datatype datatype) {
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"" + datatype
                + "\", \"data\": [70000]}]}"), InferMessage.Role.REQUEST), DeadLetter.Reason.BAD_ENCODING);
    }

    @Test
    void malformedMessagesNameTheirReason() {
        InferMessage.Role req = InferMessage.Role.REQUEST;
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1]}]}"), req),
                DeadLetter.Reason.SHAPE_MISMATCH);
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP8\", \"data\": [1]}]}"), req),
                DeadLetter.Reason.UNKNOWN_DATATYPE);
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\", \"shape\": [-1], \"datatype\": \"FP32\", \"data\": []}]}"), req),
                DeadLetter.Reason.SHAPE_MISMATCH);
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [\"a\"]}]}"), req),
                DeadLetter.Reason.BAD_ENCODING);
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": [{\"name\": \"x\"}]}"), req), DeadLetter.Reason.SCHEMA_INVALID);
        assertThatReason(() -> OipJson.read(utf8("{\"inputs\": ["), req), DeadLetter.Reason.MALFORMED_JSON);
        assertThatReason(() -> OipProtobuf.read(new byte[] {(byte) 0xFF, 1, 2}, req), DeadLetter.Reason.MALFORMED_PROTOBUF);
        assertThatReason(() -> InferTensor.of("b", Datatype.BYTES, new long[] {1}, new byte[] {9, 0, 0, 0, 1}), DeadLetter.Reason.SHAPE_MISMATCH);
        assertThatReason(() -> InferTensor.of("big", Datatype.FP32, new long[] {1L << 40, 1L << 40}, new byte[0]), DeadLetter.Reason.SHAPE_MISMATCH);
        assertThatReason(() -> OipProtobuf.read(ModelInferResponse.newBuilder().addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                .setName("y").setDatatype("FP32").addShape(1).setContents(InferTensorContents.newBuilder().addIntContents(1)))
                .build().toByteArray(), InferMessage.Role.RESPONSE), DeadLetter.Reason.BAD_ENCODING);
        assertThatReason(() -> CloudEvents.read(utf8("{}"), Map.of()), DeadLetter.Reason.MALFORMED_CLOUDEVENT);
        assertThatReason(() -> CloudEvents.read(utf8("{\"inputs\": []}"), Map.of("ce_specversion", "1.0", "ce_id", "1", "ce_type", "x")),
                DeadLetter.Reason.MALFORMED_CLOUDEVENT);
    }

    @Test
    void cloudEventsRoundTripInBothModes() throws Exception {
        InferTensor t = InferTensor.of("text", Datatype.BYTES, new long[] {1}, InferTensor.rawBytes(List.of(utf8("très bien"))));
        InferMessage m = new InferMessage(InferMessage.Role.RESPONSE, "ev-1", "review-sentiment", "1", null, List.of(t));
        Instant time = Instant.parse("2026-11-24T10:00:00Z");
        InferMessage structured = CloudEvents.read(CloudEvents.structured(m, "http://server/", time), Map.of("content-type", CloudEvents.STRUCTURED));
        InferMessage binary = CloudEvents.read(OipJson.write(m), CloudEvents.binaryHeaders(m, "http://server/", time));
        for (InferMessage read : List.of(structured, binary)) {
            assertThat(read.role()).isEqualTo(InferMessage.Role.RESPONSE);
            assertThat(read.id()).isEqualTo("ev-1");
            assertThat(read.modelName()).isEqualTo("review-sentiment");
            assertThat(read.time()).isEqualTo(time);
            assertThat(read.tensors().get(0).byteElements()).containsExactly(utf8("très bien"));
        }
        // HTTP's ce- spelling and a Protobuf body where the content type says so.
        InferMessage proto = CloudEvents.read(OipProtobuf.write(m), Map.of("ce-specversion", "1.0", "ce-id", "ev-2",
                "ce-type", CloudEvents.RESPONSE_TYPE, "Content-Type", "application/protobuf"));
        assertThat(proto.id()).isEqualTo("ev-2");
        assertThat(proto.tensors().get(0).raw()).isEqualTo(t.raw());
    }

    @Test
    void binaryBytesTravelAsBase64InJson() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xFF, 0};
        InferTensor t = InferTensor.of("image", Datatype.BYTES, new long[] {1}, InferTensor.rawBytes(List.of(png)));
        byte[] json = OipJson.write(new InferMessage(InferMessage.Role.REQUEST, "1", "", "", null, List.of(t)));
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"content_type\":\"base64\"");
        assertThat(OipJson.read(json, InferMessage.Role.REQUEST).tensors().get(0).byteElements()).containsExactly(png);
    }

    private static byte[] le(long a, long b) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b).array();
    }

    private static void assertThatReason(ThrowableAssert.ThrowingCallable call, DeadLetter.Reason reason) {
        assertThatThrownBy(call).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }
}

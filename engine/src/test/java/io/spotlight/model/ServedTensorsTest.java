package io.spotlight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.oip.Datatype;
import io.spotlight.oip.InferTensor;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.ServedMessages;
import io.spotlight.testing.TestEvents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A model server's tensors as the shipped cards' inputs and probabilities, for every datatype. */
class ServedTensorsTest {

    static final ModelCard CNN = ModelCard.load(Models.shipped("fashion-cnn"));
    static final ModelCard TEXT = ModelCard.load(Models.shipped("review-sentiment"));

    @Test
    void fp32IsTheModelReadyTensorAsSent() throws Exception {
        byte[] raw = ServedMessages.littleEndian(SampleImages.tensor(0));
        InferTensor t = InferTensor.of("x", Datatype.FP32, new long[] {1, 1, 28, 28}, raw);
        assertThat(ServedTensors.rows(t, CNN)).isEqualTo(1);
        assertThat(floats(ServedTensors.input(t, 0, 1, CNN))).containsExactly(SampleImages.tensor(0));
        InferTensor unbatched = InferTensor.of("x", Datatype.FP32, new long[] {1, 28, 28}, raw);
        assertThat(ServedTensors.rows(unbatched, CNN)).isEqualTo(1);
    }

    @Test
    void otherNumericDatatypesAreCastToFloat() throws Exception {
        // Values every datatype holds exactly: 0..127 over the 784 pixels.
        float[] expected = new float[784];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i % 128;
        }
        for (Datatype d : List.of(Datatype.FP16, Datatype.FP64, Datatype.INT8, Datatype.INT16, Datatype.INT32, Datatype.INT64,
                Datatype.UINT16, Datatype.UINT32, Datatype.UINT64)) {
            ByteBuffer b = ByteBuffer.allocate(784 * d.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : expected) {
                switch (d.size()) {
                    case 1 -> b.put((byte) v);
                    case 2 -> b.putShort(d == Datatype.FP16 ? half(v) : (short) v);
                    case 4 -> b.putInt((int) v);
                    default -> {
                        if (d == Datatype.FP64) {
                            b.putDouble(v);
                        } else {
                            b.putLong((long) v);
                        }
                    }
                }
            }
            InferTensor t = InferTensor.of("x", d, new long[] {1, 1, 28, 28}, b.array());
            assertThat(floats(ServedTensors.input(t, 0, 1, CNN))).as(d.name()).containsExactly(expected);
        }
        InferTensor bool = InferTensor.of("x", Datatype.BOOL, new long[] {1, 28, 28}, new byte[784]);
        assertThat(floats(ServedTensors.input(bool, 0, 1, CNN))).containsOnly(0f);
    }

    @Test
    void uint8PixelsGetTheCardsPreprocessingInEveryLayout() throws Exception {
        byte[] a = SampleImages.raw(4);
        byte[] b = SampleImages.raw(5);
        for (long[] shape : List.of(new long[] {1, 28, 28}, new long[] {28, 28, 1}, new long[] {28, 28})) {
            InferTensor t = InferTensor.of("pixels", Datatype.UINT8, shape, a);
            assertThat(floats(ServedTensors.input(t, 0, 1, CNN))).as(Arrays.toString(shape))
                    .containsExactly(SampleImages.tensor(4), Offset.offset(1e-5f));
        }
        byte[] two = new byte[2 * 784];
        System.arraycopy(a, 0, two, 0, 784);
        System.arraycopy(b, 0, two, 784, 784);
        InferTensor batch = InferTensor.of("pixels", Datatype.UINT8, new long[] {2, 28, 28}, two);
        assertThat(ServedTensors.rows(batch, CNN)).isEqualTo(2);
        assertThat(floats(ServedTensors.input(batch, 1, 2, CNN))).containsExactly(SampleImages.tensor(5), Offset.offset(1e-5f));
    }

    @Test
    void bytesAreEncodedImagesForImageModelsAndTextForTextModels() throws Exception {
        byte[] png = TestEvents.png(SampleImages.raw(0));
        InferTensor images = InferTensor.of("img", Datatype.BYTES, new long[] {1}, InferTensor.rawBytes(List.of(png)));
        assertThat(ServedTensors.input(images, 0, 1, CNN)).isEqualTo(new Input.Image("png", Base64.getEncoder().encodeToString(png)));
        InferTensor texts = InferTensor.of("text", Datatype.BYTES, new long[] {2, 1},
                InferTensor.rawBytes(List.of("great zipper".getBytes(StandardCharsets.UTF_8), "très mauvais".getBytes(StandardCharsets.UTF_8))));
        assertThat(ServedTensors.rows(texts, TEXT)).isEqualTo(2);
        assertThat(ServedTensors.input(texts, 1, 2, TEXT)).isEqualTo(new Input.Text("très mauvais"));
        InferTensor notAnImage = InferTensor.of("img", Datatype.BYTES, new long[] {1}, InferTensor.rawBytes(List.of(new byte[] {1, 2, 3})));
        assertReason(() -> ServedTensors.input(notAnImage, 0, 1, CNN), DeadLetter.Reason.BAD_ENCODING);
        InferTensor ids = InferTensor.of("ids", Datatype.INT64, new long[] {1, 32}, new byte[32 * 8]);
        assertReason(() -> ServedTensors.rows(ids, TEXT), DeadLetter.Reason.UNSUPPORTED_INPUT);
        InferTensor wrong = InferTensor.of("x", Datatype.FP32, new long[] {1, 3, 28, 28}, new byte[3 * 784 * 4]);
        assertReason(() -> ServedTensors.rows(wrong, CNN), DeadLetter.Reason.WRONG_SHAPE);
    }

    @Test
    void logitsAreSoftmaxedProbabilitiesKeptAsTheCardSays() throws Exception {
        float[] logits = {2f, -1f, 0.5f, 3f, 0f, 0f, -2f, 1f, 0f, 0.25f, /* row 2 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
        InferTensor t = InferTensor.of("y", Datatype.FP32, new long[] {2, 10}, ServedMessages.littleEndian(logits));
        double[] expected = ServedMessages.softmax(Arrays.copyOfRange(logits, 10, 20));
        assertThat(ServedTensors.probabilities(t, 1, 2, CNN)).containsExactly(expected, Offset.offset(1e-12));
        ModelCard probabilities = withScores(CNN, "probabilities");
        float[] p = {0.1f, 0.9f, 0, 0, 0, 0, 0, 0, 0, 0};
        InferTensor q = InferTensor.of("y", Datatype.FP32, new long[] {10}, ServedMessages.littleEndian(p));
        assertThat(ServedTensors.probabilities(q, 0, 1, probabilities)[1]).isEqualTo((double) 0.9f);
        assertReason(() -> ServedTensors.probabilities(t, 0, 1, CNN), DeadLetter.Reason.SHAPE_MISMATCH);
        assertReason(() -> ServedTensors.probabilities(InferTensor.of("y", Datatype.FP32, new long[] {1, 9}, new byte[36]), 0, 1, CNN),
                DeadLetter.Reason.WRONG_SHAPE);
        assertReason(() -> ServedTensors.probabilities(InferTensor.of("y", Datatype.INT64, new long[] {1, 10}, new byte[80]), 0, 1, CNN),
                DeadLetter.Reason.UNSUPPORTED_INPUT);
        float[] nan = {Float.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertReason(() -> ServedTensors.probabilities(InferTensor.of("y", Datatype.FP32, new long[] {10}, ServedMessages.littleEndian(nan)),
                0, 1, CNN), DeadLetter.Reason.NON_FINITE);
    }

    @Test
    void theCardNamesTheTensorToReadWhereThereAreSeveral() throws Exception {
        InferTensor a = InferTensor.of("a", Datatype.FP32, new long[] {1}, new byte[4]);
        InferTensor b = InferTensor.of("b", Datatype.FP32, new long[] {1}, new byte[4]);
        assertThat(ServedTensors.pick(List.of(a), null, "input", CNN)).isSameAs(a);
        assertThat(ServedTensors.pick(List.of(a, b), "b", "input", CNN)).isSameAs(b);
        assertReason(() -> ServedTensors.pick(List.of(a, b), null, "input", CNN), DeadLetter.Reason.MISSING_TENSOR);
        assertReason(() -> ServedTensors.pick(List.of(a), "c", "output", CNN), DeadLetter.Reason.MISSING_TENSOR);
    }

    static ModelCard withScores(ModelCard c, String scores) {
        return new ModelCard(c.id(), c.version(), c.description(), c.file(), c.input(), new ModelCard.OutputSpec(0, null, null, scores),
                c.classes(), c.layers(), c.methods(), c.plan(), c.parameters(), c.focus(), c.attention(), c.watermark(), c.metrics(),
                c.provenance(), c.samples(), c.directory());
    }

    static float[] floats(Input input) {
        byte[] bytes = Base64.getDecoder().decode(((Input.Tensor) input).data());
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Small whole numbers in binary16, written out: sign 0, exponent 15 + e, 10 mantissa bits. */
    static short half(float v) {
        if (v == 0) {
            return 0;
        }
        int e = 31 - Integer.numberOfLeadingZeros((int) v);
        int mantissa = (((int) v) << (10 - e)) & 0x3FF;
        return (short) (((15 + e) << 10) | mantissa);
    }

    static void assertReason(ThrowableAssert.ThrowingCallable call, DeadLetter.Reason reason) {
        assertThatThrownBy(call).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }
}

package io.spotlight.testing;

import com.google.protobuf.ByteString;
import io.spotlight.oip.OpenInference.InferTensorContents;
import io.spotlight.oip.OpenInference.ModelInferRequest;
import io.spotlight.oip.OpenInference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Open Inference Protocol messages built with the generated classes, as a model server would write them. */
public final class ServedMessages {

    private ServedMessages() {}

    /** A request for one image of the shipped CNN as raw FP32 contents, shape [1, 1, 28, 28]. */
    public static ModelInferRequest imageRequest(String id, String version, int sample) {
        return ModelInferRequest.newBuilder().setId(id).setModelName("fashion-cnn").setModelVersion(version)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input-0").setDatatype("FP32").addAllShape(Arrays.asList(1L, 1L, 28L, 28L)))
                .addRawInputContents(ByteString.copyFrom(littleEndian(SampleImages.tensor(sample))))
                .build();
    }

    /** A response whose logits are log(p): their softmax is p. Typed FP32 contents, shape [1, classes]. */
    public static ModelInferResponse logitsResponse(String id, double[] probabilities) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (double p : probabilities) {
            c.addFp32Contents((float) Math.log(p));
        }
        return ModelInferResponse.newBuilder().setId(id).setModelName("fashion-cnn").setModelVersion("1")
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("output-0").setDatatype("FP32")
                        .addAllShape(Arrays.asList(1L, (long) probabilities.length)).setContents(c))
                .build();
    }

    public static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Softmax written out independently of the code under test. */
    public static double[] softmax(float[] logits) {
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i]);
            sum += e[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}

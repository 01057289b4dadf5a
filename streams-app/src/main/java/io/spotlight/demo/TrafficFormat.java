package io.spotlight.demo;

import io.spotlight.events.Identified;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.oip.CloudEvents;
import io.spotlight.oip.Datatype;
import io.spotlight.oip.InferMessage;
import io.spotlight.oip.InferTensor;
import io.spotlight.oip.OipJson;
import io.spotlight.oip.OipProtobuf;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * How the demo's traffic reaches Kafka: as Spotlight's prediction events, or as a model server
 * would publish the same predictions. The protocol formats write each model's requests and
 * responses to Seldon Core 2's topic names ({@code seldon.default.model.<model>.inputs / .outputs},
 * keyed by the request id); CloudEvents go to one topic as KServe's payload logger would send them.
 * Images travel as UINT8 pixels, texts as BYTES, the scores as FP32 logits.
 */
public enum TrafficFormat implements Identified {
    SPOTLIGHT, OIP_JSON, OIP_PROTOBUF, CLOUDEVENTS, CLOUDEVENTS_STRUCTURED;

    /** The CloudEvents formats' topic. */
    public static final String KSERVE_TOPIC = "kserve-payload-logs";
    private static final String SOURCE = "http://spotlight-demo/";

    /** One Kafka record. */
    public record Out(String topic, String key, byte[] value, Map<String, String> headers) {}

    public static TrafficFormat of(String id) {
        return Identified.of(TrafficFormat.class, id);
    }

    /** The topics this format writes for these models. */
    public List<String> topics(Collection<String> models, String predictionsTopic) {
        return switch (this) {
            case SPOTLIGHT -> List.of(predictionsTopic);
            case CLOUDEVENTS, CLOUDEVENTS_STRUCTURED -> List.of(KSERVE_TOPIC);
            case OIP_JSON, OIP_PROTOBUF -> models.stream().flatMap(m -> List.of(seldon(m, "inputs"), seldon(m, "outputs")).stream()).toList();
        };
    }

    /** What Spotlight's input.sources must say to read these topics. */
    public String sources(Collection<String> models, String predictionsTopic) {
        String format = switch (this) {
            case SPOTLIGHT -> "spotlight";
            case OIP_JSON -> "oip-json";
            case OIP_PROTOBUF -> "oip-protobuf";
            case CLOUDEVENTS, CLOUDEVENTS_STRUCTURED -> "cloudevents";
        };
        return String.join(",", topics(models, predictionsTopic).stream().map(t -> t + "=" + format).toList());
    }

    /** The records of one demo event; a deliberately broken one that is not even JSON goes out as the same broken bytes. */
    public List<Out> encode(DemoTraffic.Event e, Instant at, String predictionsTopic) {
        if (this == SPOTLIGHT) {
            return List.of(new Out(predictionsTopic, e.id(), e.json(), Map.of()));
        }
        PredictionEvent event;
        try {
            event = Json.MAPPER.readValue(e.json(), PredictionEvent.class);
        } catch (IOException notJson) {
            return List.of(new Out(requestTopic(e.model()), e.id(), e.json(), Map.of()));
        }
        InferMessage request = new InferMessage(InferMessage.Role.REQUEST, e.id(), event.model().id(), event.model().version(), null,
                List.of(input(event.input())));
        InferMessage response = new InferMessage(InferMessage.Role.RESPONSE, e.id(), event.model().id(), event.model().version(), null,
                List.of(logits(event.prediction().probabilities())));
        return List.of(out(request, event.model().id(), at), out(response, event.model().id(), at));
    }

    private Out out(InferMessage m, String model, Instant at) {
        String role = m.role() == InferMessage.Role.REQUEST ? "inputs" : "outputs";
        return switch (this) {
            case OIP_JSON -> new Out(seldon(model, role), m.id(), OipJson.write(m), Map.of());
            case OIP_PROTOBUF -> new Out(seldon(model, role), m.id(), OipProtobuf.write(m), Map.of());
            case CLOUDEVENTS -> new Out(KSERVE_TOPIC, m.id(), OipJson.write(m), CloudEvents.binaryHeaders(m, SOURCE, at));
            case CLOUDEVENTS_STRUCTURED -> new Out(KSERVE_TOPIC, m.id(), CloudEvents.structured(m, SOURCE, at),
                    Map.of("content-type", CloudEvents.STRUCTURED));
            case SPOTLIGHT -> throw new IllegalStateException();
        };
    }

    private String requestTopic(String model) {
        return this == CLOUDEVENTS || this == CLOUDEVENTS_STRUCTURED ? KSERVE_TOPIC : seldon(model, "inputs");
    }

    private static String seldon(String model, String role) {
        return "seldon.default.model." + model + "." + role;
    }

    /** An image as its pixels (grey [1, H, W], colour [1, H, W, 3]), a text as BYTES, a tensor as FP32: all with a batch of one. */
    private static InferTensor input(Input input) {
        try {
            if (input instanceof Input.Text t) {
                return InferTensor.of("text", Datatype.BYTES, new long[] {1}, InferTensor.rawBytes(List.of(t.text().getBytes(StandardCharsets.UTF_8))));
            }
            if (input instanceof Input.Tensor t) {
                long[] shape = new long[t.shape().size() + 1];
                shape[0] = 1;
                for (int i = 0; i < t.shape().size(); i++) {
                    shape[i + 1] = t.shape().get(i);
                }
                return InferTensor.of("input", Datatype.FP32, shape, Base64.getDecoder().decode(t.data()));
            }
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(((Input.Image) input).data())));
            int h = img.getHeight();
            int w = img.getWidth();
            boolean grey = img.getRaster().getNumBands() == 1;
            byte[] pixels = new byte[h * w * (grey ? 1 : 3)];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (grey) {
                        pixels[y * w + x] = (byte) img.getRaster().getSample(x, y, 0);
                    } else {
                        int rgb = img.getRGB(x, y);
                        for (int k = 0; k < 3; k++) {
                            pixels[(y * w + x) * 3 + k] = (byte) (rgb >> (16 - 8 * k));
                        }
                    }
                }
            }
            return InferTensor.of("pixels", Datatype.UINT8, grey ? new long[] {1, h, w} : new long[] {1, h, w, 3}, pixels);
        } catch (InvalidInputException e) {
            throw new IllegalStateException("a demo input does not fit its own shape: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logits whose softmax is the probabilities (zeros floored, so every logit is finite). */
    private static InferTensor logits(double[] probabilities) {
        ByteBuffer b = ByteBuffer.allocate(probabilities.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double p : probabilities) {
            b.putFloat((float) Math.log(Math.max(p, 1e-30)));
        }
        try {
            return InferTensor.of("logits", Datatype.FP32, new long[] {1, probabilities.length}, b.array());
        } catch (InvalidInputException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The model input a prediction event carries. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Input.Tensor.class, name = "tensor"),
    @JsonSubTypes.Type(value = Input.Image.class, name = "image"),
    @JsonSubTypes.Type(value = Input.Text.class, name = "text"),
    @JsonSubTypes.Type(value = Input.Uri.class, name = "uri")
})
public sealed interface Input {

    /** The model-ready tensor without the batch axis: little-endian float32, C order, base64. */
    record Tensor(String dtype, List<Integer> shape, String encoding, String data) implements Input {}

    /** An encoded image (png or jpeg), base64; the model card's preprocessing applies. */
    record Image(String format, String data) implements Input {}

    record Text(String text) implements Input {}

    /** Reserved: a reference to the input in an object store. */
    record Uri(String uri, String mediaType) implements Input {}
}

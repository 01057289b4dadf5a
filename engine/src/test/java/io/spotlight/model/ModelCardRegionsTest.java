package io.spotlight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.Json;
import io.spotlight.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A region that would silently measure the wrong place is refused when the card loads, naming the card and the region. */
class ModelCardRegionsTest {

    @TempDir
    Path dir;

    Path cardWithForbiddenBox(double... box) throws Exception {
        ObjectNode card = (ObjectNode) Json.MAPPER.readTree(Models.shipped("fashion-cnn").toFile());
        ArrayNode b = ((ObjectNode) card.get("focus").get("forbidden").get(0)).putArray("box");
        for (double v : box) {
            b.add(v);
        }
        Path file = dir.resolve("model.json");
        Files.writeString(file, card.toString());
        return file;
    }

    @Test
    void theShippedBoxesLoad() throws Exception {
        assertThat(ModelCard.load(cardWithForbiddenBox(0.79, 0.79, 1.0, 1.0)).focus().forbidden().get(0).box()).containsExactly(0.79, 0.79, 1.0, 1.0);
    }

    @Test
    void anInvertedBoxIsRefusedWithTheCardAndTheRegionNamed() throws Exception {
        Path card = cardWithForbiddenBox(0.79, 0.79, 0.5, 1.0);
        assertThatThrownBy(() -> ModelCard.load(card)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(card.toString()).hasMessageContaining("focus.forbidden[0] 'watermark-corner'")
                .hasMessageContaining("inverted").hasMessageContaining("[top, left, bottom, right]");
    }

    @Test
    void anEmptyBoxIsRefused() throws Exception {
        assertThatThrownBy(() -> ModelCard.load(cardWithForbiddenBox(0.5, 0.2, 0.5, 0.9))).hasMessageContaining("is empty");
    }

    @Test
    void aBoxOutsideTheImageIsRefused() throws Exception {
        assertThatThrownBy(() -> ModelCard.load(cardWithForbiddenBox(0.8, 0.8, 1.2, 1.0))).hasMessageContaining("leaves [0, 1]");
        assertThatThrownBy(() -> ModelCard.load(cardWithForbiddenBox(0.8, 0.8, 1.0))).hasMessageContaining("needs four numbers");
    }
}

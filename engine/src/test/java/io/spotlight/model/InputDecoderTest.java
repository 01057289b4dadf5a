package io.spotlight.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.Input;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.TestEvents;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class InputDecoderTest {

    final LoadedModel cnn = Models.shippedModel("fashion-cnn");

    @Test
    void aGreyPngIsPreprocessedAsTheCardSays() throws Exception {
        byte[] png = TestEvents.png(SampleImages.raw(3));
        ModelInput.Dense d = (ModelInput.Dense) InputDecoder.DEFAULT.decode(new Input.Image("png", Base64.getEncoder().encodeToString(png)), cnn);
        assertThat(d.shape()).containsExactly(1, 28, 28);
        float[] expected = SampleImages.tensor(3);
        for (int i = 0; i < expected.length; i++) {
            assertThat(d.values()[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void aColourImageOfAnotherSizeIsConvertedAndResized() throws Exception {
        BufferedImage rgb = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                rgb.setRGB(x, y, x < 28 ? 0xFFFFFF : 0x000000);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpeg", out);
        ModelInput.Dense d = (ModelInput.Dense) InputDecoder.DEFAULT.decode(new Input.Image("jpeg", Base64.getEncoder().encodeToString(out.toByteArray())), cnn);
        float white = (float) ((1.0 - 0.286) / 0.353);
        float black = (float) ((0.0 - 0.286) / 0.353);
        assertThat(d.values()[14 * 28 + 2]).isCloseTo(white, org.assertj.core.data.Offset.offset(0.05f));
        assertThat(d.values()[14 * 28 + 25]).isCloseTo(black, org.assertj.core.data.Offset.offset(0.05f));
    }

    @Test
    void aTensorIsTakenAsSentWhenItsShapeIsTheModels() throws Exception {
        float[] v = SampleImages.tensor(0);
        ModelInput.Dense d = (ModelInput.Dense) InputDecoder.DEFAULT.decode(
                new Input.Tensor("float32", java.util.List.of(1, 28, 28), null, TestEvents.base64(v)), cnn);
        assertThat(d.values()).containsExactly(v);
    }
}

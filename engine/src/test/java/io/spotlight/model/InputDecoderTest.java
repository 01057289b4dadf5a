package io.spotlight.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.testing.HostileImages;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.TestEvents;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.assertj.core.data.Offset;
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
            assertThat(d.values()[i]).isCloseTo(expected[i], Offset.offset(1e-6f));
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
        assertThat(d.values()[14 * 28 + 2]).isCloseTo(white, Offset.offset(0.05f));
        assertThat(d.values()[14 * 28 + 25]).isCloseTo(black, Offset.offset(0.05f));
    }

    @Test
    void aTensorIsTakenAsSentWhenItsShapeIsTheModels() throws Exception {
        float[] v = SampleImages.tensor(0);
        ModelInput.Dense d = (ModelInput.Dense) InputDecoder.DEFAULT.decode(
                new Input.Tensor("float32", List.of(1, 28, 28), null, TestEvents.base64(v)), cnn);
        assertThat(d.values()).containsExactly(v);
    }

    static Input.Image image(String format, byte[] bytes) {
        return new Input.Image(format, Base64.getEncoder().encodeToString(bytes));
    }

    static InvalidInputException refused(InputDecoder decoder, Input input, LoadedModel model) {
        return Assertions.catchThrowableOfType(InvalidInputException.class, () -> decoder.decode(input, model));
    }

    @Test
    void aTensorShapeThatWouldOverflowACountIsTheWrongShape() {
        Input.Tensor t = new Input.Tensor("float32", List.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE), null,
                TestEvents.base64(new float[4]));
        InvalidInputException e = refused(InputDecoder.DEFAULT, t, cnn);
        assertThat(e.reason()).isEqualTo(DeadLetter.Reason.WRONG_SHAPE);
        assertThat(e.getMessage()).contains("[1, 28, 28]");
    }

    @Test
    void anImageWhoseHeaderClaimsMorePixelsThanTheBudgetIsRefusedBeforeDecoding() {
        for (byte[] bomb : List.of(HostileImages.pngClaiming(100_000, 100_000), HostileImages.pngClaiming(1, Integer.MAX_VALUE))) {
            InvalidInputException e = refused(InputDecoder.DEFAULT, image("png", bomb), cnn);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(DeadLetter.Reason.OVERSIZED);
            assertThat(e.getMessage()).contains("refused before decoding");
        }
        InvalidInputException jpeg = refused(InputDecoder.DEFAULT, image("jpeg", HostileImages.jpegClaiming(65_000, 65_000)), cnn);
        assertThat(jpeg.reason()).isEqualTo(DeadLetter.Reason.OVERSIZED);
        assertThat(jpeg.getMessage()).contains("65000x65000");
    }

    @Test
    void thePixelBudgetIsTheDecodersOwn() {
        byte[] png = TestEvents.png(SampleImages.raw(3));
        assertThat(refused(new InputDecoder(28 * 28 - 1), image("png", png), cnn).reason()).isEqualTo(DeadLetter.Reason.OVERSIZED);
        assertThat(refused(new InputDecoder(28 * 28), image("png", png), cnn)).isNull();
    }

    @Test
    void anImageOfAnotherFormatThanDeclaredUndecodableOrInCmykIsRefused() {
        InvalidInputException gif = refused(InputDecoder.DEFAULT, image("png", HostileImages.gif()), cnn);
        assertThat(gif.reason()).isEqualTo(DeadLetter.Reason.BAD_ENCODING);
        assertThat(gif.getMessage()).contains("declared png, but the data is a gif image");
        InvalidInputException cmyk = refused(InputDecoder.DEFAULT, image("jpeg", HostileImages.cmykJpeg()), cnn);
        assertThat(cmyk.reason()).isEqualTo(DeadLetter.Reason.UNSUPPORTED_INPUT);
        assertThat(cmyk.getMessage()).contains("CMYK");
        byte[] cut = Arrays.copyOf(TestEvents.png(SampleImages.raw(3)), 60);
        assertThat(refused(InputDecoder.DEFAULT, image("png", cut), cnn).reason()).isEqualTo(DeadLetter.Reason.BAD_ENCODING);
    }

    @Test
    void sixteenBitAndTransparentImagesMeanWhatTheirPixelsSay() throws Exception {
        byte[] grey = SampleImages.raw(5);
        float[] expected = SampleImages.tensor(5);
        for (byte[] png : List.of(HostileImages.sixteenBitPng(grey, 28, 28), HostileImages.rgbaPng(grey, 28, 28))) {
            ModelInput.Dense d = (ModelInput.Dense) InputDecoder.DEFAULT.decode(image("png", png), cnn);
            for (int i = 0; i < expected.length; i++) {
                assertThat(d.values()[i]).isCloseTo(expected[i], Offset.offset(1e-5f));
            }
        }
    }
}

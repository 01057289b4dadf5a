package io.spotlight.testing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images a hostile or careless producer may send: lying headers, odd pixel formats, other formats than declared. */
public final class HostileImages {

    private HostileImages() {}

    /** A PNG whose header claims width x height pixels around a few bytes of data: a decompression bomb's header. */
    public static byte[] pngClaiming(int width, int height) {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
        // IHDR follows the 8-byte signature: length (4), type (4), width (4), height (4), ..., CRC over type + data.
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, width);
        b.putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        b.putInt(12 + 4 + 13, (int) crc.getValue());
        return png;
    }

    /** A JPEG whose frame header (SOF0) claims width x height pixels. */
    public static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = encode(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                ByteBuffer b = ByteBuffer.wrap(jpeg);
                b.putShort(i + 5, (short) height);
                b.putShort(i + 7, (short) width);
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    /** A four-channel JPEG, which decoders take for CMYK. */
    public static byte[] cmykJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 28, 28, 4, null);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                raster.setPixel(x, y, new int[] {x * 9, y * 9, 128, 30});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(raster, null, null), null);
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A 16-bit grey PNG of the given 8-bit grey pixels (each scaled by 257, so that it means the same). */
    public static byte[] sixteenBitPng(byte[] grey, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (grey[y * w + x] & 0xFF) * 257);
            }
        }
        return encode(img, "png");
    }

    /** An RGBA PNG of the given grey pixels, half transparent. */
    public static byte[] rgbaPng(byte[] grey, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = grey[y * w + x] & 0xFF;
                img.setRGB(x, y, (0x80 << 24) | (g << 16) | (g << 8) | g);
            }
        }
        return encode(img, "png");
    }

    /** A GIF (what an animated image usually is), whatever the event declares. */
    public static byte[] gif() {
        return encode(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_INDEXED), "gif");
    }

    public static byte[] encode(BufferedImage img, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

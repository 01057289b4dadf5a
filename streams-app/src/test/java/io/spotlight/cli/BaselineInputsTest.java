package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.events.Input;
import io.spotlight.events.Json;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.Png;
import io.spotlight.testing.Models;
import io.spotlight.testing.Repository;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baselines from what a user has: the files are written here by hand, to the formats' specifications. */
class BaselineInputsTest {

    @TempDir
    Path dir;

    final LoadedModel probe = Models.testModel("linear-probe");

    /** A version-1.0 .npy file of little-endian float32 values (NumPy's format: magic, header length, dict header padded to 64). */
    static byte[] npy(int[] shape, float[] values) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static float[] decoded(Input input) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(((Input.Tensor) input).data())).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    @Test
    void aStackInANpyFileIsOneInputPerRowAndANpzIsEveryArray() throws Exception {
        float[] two = new float[32];
        for (int i = 0; i < two.length; i++) {
            two[i] = i;
        }
        Files.write(dir.resolve("stack.npy"), npy(new int[] {2, 1, 4, 4}, two));
        List<BaselineInputs.Item> stack = BaselineInputs.tensors(dir.resolve("stack.npy"), probe);
        assertThat(stack).hasSize(2);
        assertThat(((Input.Tensor) stack.get(1).input()).shape()).containsExactly(1, 4, 4);
        assertThat(decoded(stack.get(1).input())).containsExactly(Arrays.copyOfRange(two, 16, 32));

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("a.npy"));
            z.write(npy(new int[] {1, 4, 4}, Arrays.copyOf(two, 16)));
            z.putNextEntry(new ZipEntry("b.npy"));
            z.write(npy(new int[] {1, 4, 4}, Arrays.copyOfRange(two, 16, 32)));
        }
        Files.createDirectories(dir.resolve("folder"));
        Files.write(dir.resolve("folder/both.npz"), zip.toByteArray());
        List<BaselineInputs.Item> npz = BaselineInputs.tensors(dir.resolve("folder"), probe);
        assertThat(npz).hasSize(2);
        assertThat(npz.stream().map(i -> decoded(i.input())[0]).toList()).containsExactlyInAnyOrder(0f, 16f);
    }

    @Test
    void aTensorOfTheWrongShapeIsRefusedWithTheFileAndBothShapes() throws Exception {
        Files.write(dir.resolve("wrong.npy"), npy(new int[] {3, 3}, new float[9]));
        assertThatThrownBy(() -> BaselineInputs.tensors(dir.resolve("wrong.npy"), probe))
                .hasMessageContaining("wrong.npy").hasMessageContaining("[3, 3]").hasMessageContaining("[1, 4, 4]");
    }

    @Test
    void imagesFromAFolderTextsByLineAndEventsByLine() throws Exception {
        Files.createDirectories(dir.resolve("imgs/sub"));
        byte[] png = Png.grey(new byte[28 * 28], 28, 28);
        Files.write(dir.resolve("imgs/b.png"), png);
        Files.write(dir.resolve("imgs/sub/a.png"), png);
        Files.writeString(dir.resolve("imgs/notes.txt"), "not an image");
        assertThat(BaselineInputs.images(dir.resolve("imgs"))).extracting(BaselineInputs.Item::id).containsExactly("b.png", "sub/a.png");

        Files.writeString(dir.resolve("texts.txt"), "the kettle is great\n\n  never again  \n");
        assertThat(BaselineInputs.texts(dir.resolve("texts.txt"))).extracting(i -> ((Input.Text) i.input()).text())
                .containsExactly("the kettle is great", "never again");

        String event = Json.MAPPER.readTree(Repository.root().resolve("schemas/examples/prediction.valid.text.json").toFile()).toString();
        Files.writeString(dir.resolve("events.jsonl"), event + "\n" + event + "\n");
        assertThat(BaselineInputs.events(dir.resolve("events.jsonl"))).hasSize(2);
        Files.writeString(dir.resolve("bad.jsonl"), event + "\n{cut\n");
        assertThatThrownBy(() -> BaselineInputs.events(dir.resolve("bad.jsonl"))).hasMessageContaining("bad.jsonl:2");
    }
}

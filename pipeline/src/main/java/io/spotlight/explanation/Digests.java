package io.spotlight.explanation;

import io.spotlight.attribution.Method;
import io.spotlight.attribution.Parameters;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ModelRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Identities and fingerprints of explanations. The digest covers what a replay must reproduce:
 * each method's name, map shape and map bytes. The explanation id covers what makes two
 * explanations the same request: prediction, model version, methods and the parameters asked for
 * (not the shapes of the passes a batch happened to give the record), so a consumer can drop a
 * second delivery of the same request.
 */
public final class Digests {

    private Digests() {}

    public static String mapDigest(List<MethodResult> results) {
        MessageDigest sha = sha256();
        for (MethodResult r : results) {
            sha.update(r.method().getBytes(StandardCharsets.UTF_8));
            ByteBuffer shape = ByteBuffer.allocate(4 * r.map().shape().length);
            for (int d : r.map().shape()) {
                shape.putInt(d);
            }
            sha.update(shape.array());
            sha.update(EncodedMap.littleEndian(r.map().values()));
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    public static String explanationId(String predictionId, ModelRef model, List<MethodResult> results) {
        StringBuilder s = new StringBuilder(predictionId).append('\n').append(model).append('\n');
        for (MethodResult r : results) {
            s.append(r.method()).append(Parameters.asked(Method.of(r.method()), r.parameters())).append('\n');
        }
        return "expl-" + HexFormat.of().formatHex(sha256().digest(s.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    }

    /** The seed of every random draw made for a record: fixed by its identity, so a replay repeats it. */
    public static long recordSeed(String predictionId, ModelRef model) {
        byte[] h = sha256().digest((predictionId + "\n" + model).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(h).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.spotlight.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word-level tokenizer a text model ships as tokenizer.json: lower-case, a regular expression
 * that finds tokens, a vocabulary, and [CLS] tokens [SEP] padded with [PAD] to a fixed length.
 */
public final class Tokenizer {

    /** The ids fed to the model, the token each position holds (padding included), and how many are not padding. */
    public record Encoding(long[] ids, List<String> tokens, int length) {}

    private final Pattern pattern;
    private final boolean lowercase;
    private final Map<String, Integer> vocab;
    private final int maxLength;
    private final String pad;
    private final String unknown;
    private final String begin;
    private final String end;
    private final int padId;
    private final int unknownId;
    private final int beginId;
    private final int endId;

    private Tokenizer(JsonNode json) {
        // Unicode classes so that \s means what it means in the Python tokenizer that built the vocabulary.
        this.pattern = Pattern.compile(json.get("pattern").asText(), Pattern.UNICODE_CHARACTER_CLASS);
        this.lowercase = json.path("lowercase").asBoolean(true);
        this.maxLength = json.get("max_length").asInt();
        this.pad = json.get("pad").asText();
        this.unknown = json.get("unknown").asText();
        this.begin = json.get("begin").asText();
        this.end = json.get("end").asText();
        this.vocab = new HashMap<>();
        json.get("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        for (String special : List.of(pad, unknown, begin, end)) {
            if (!vocab.containsKey(special)) {
                throw new IllegalArgumentException("tokenizer vocabulary lacks " + special);
            }
        }
        this.padId = vocab.get(pad);
        this.unknownId = vocab.get(unknown);
        this.beginId = vocab.get(begin);
        this.endId = vocab.get(end);
    }

    public static Tokenizer load(Path file) {
        try {
            return new Tokenizer(Json.MAPPER.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
    }

    public List<String> tokenize(String text) {
        Matcher m = pattern.matcher(lowercase ? text.toLowerCase(Locale.ROOT) : text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * [CLS] words [SEP] padded to the model's length. The token list keeps each word's surface
     * text (also for words outside the vocabulary, which get the [UNK] id) so maps read as the input.
     */
    public Encoding encode(String text) {
        List<String> words = tokenize(text);
        int kept = Math.min(words.size(), maxLength - 2);
        long[] ids = new long[maxLength];
        List<String> tokens = new ArrayList<>(maxLength);
        ids[0] = beginId;
        tokens.add(begin);
        for (int i = 0; i < kept; i++) {
            String w = words.get(i);
            Integer id = vocab.get(w);
            ids[i + 1] = id != null ? id : unknownId;
            tokens.add(w);
        }
        ids[kept + 1] = endId;
        tokens.add(end);
        int length = kept + 2;
        for (int i = length; i < maxLength; i++) {
            ids[i] = padId;
            tokens.add(pad);
        }
        return new Encoding(ids, tokens, length);
    }

    public int maxLength() {
        return maxLength;
    }

    public int padId() {
        return padId;
    }

    public int unknownId() {
        return unknownId;
    }
}

package io.spotlight.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.spotlight.events.Json;

/** The parsing step every record validator shares: strict JSON, and messages short enough for a dead letter. */
final class JsonRecords {

    private static final int MAX_MESSAGE = 1000;

    /**
     * Anything after the JSON value makes the record malformed, not silently truncated; so does a
     * key given twice, which readers would resolve differently.
     */
    static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonRecords() {}

    /** Jackson's message without the source excerpt it appends. */
    static String message(Exception e) {
        return brief(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
    }

    static String brief(String message) {
        String m = message == null ? "" : message.replace('\n', ' ');
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "...";
    }
}

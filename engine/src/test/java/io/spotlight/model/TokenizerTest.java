package io.spotlight.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Repository;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The Java tokenizer gives the ids the Python one gave when the fixtures were made. */
class TokenizerTest {

    final Tokenizer tokenizer = Tokenizer.load(Repository.root().resolve("models/review-sentiment/tokenizer.json"));

    @Test
    void idsMatchThePythonTokenizer() {
        for (JsonNode c : Fixtures.cases("review-sentiment")) {
            long[] expected = StreamSupport.stream(c.get("ids").spliterator(), false).mapToLong(JsonNode::asLong).toArray();
            assertThat(tokenizer.encode(c.get("text").asText()).ids()).as(c.get("text").asText()).containsExactly(expected);
        }
    }

    @Test
    void tokensKeepTheirSurfaceTextAndPaddingFillsTheLength() {
        Tokenizer.Encoding e = tokenizer.encode("@NoSuchUser42 the zipper was GREAT!! see https://x.example/a?b=1");
        assertThat(e.tokens().subList(0, e.length())).containsExactly("[CLS]", "@nosuchuser42", "the", "zipper", "was", "great",
                "!", "!", "see", "https://x.example/a?b=1", "[SEP]");
        assertThat(e.tokens()).hasSize(tokenizer.maxLength());
        assertThat(e.ids()[e.length()]).isEqualTo(tokenizer.padId());
    }

    @Test
    void longTextsAreCutToTheModelLength() {
        Tokenizer.Encoding e = tokenizer.encode("good ".repeat(100));
        assertThat(e.length()).isEqualTo(tokenizer.maxLength());
        assertThat(e.tokens().get(tokenizer.maxLength() - 1)).isEqualTo("[SEP]");
    }
}

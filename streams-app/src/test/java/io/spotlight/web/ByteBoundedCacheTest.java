package io.spotlight.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteBoundedCacheTest {

    @Test
    void theOldestGoWhenTheBytesWouldExceedTheBudget() {
        ByteBoundedCache<String, String> c = new ByteBoundedCache<>(100, 1000);
        for (int i = 0; i < 10; i++) {
            c.put("k" + i, "v" + i, 300);
        }
        assertThat(c.bytes()).isEqualTo(900);
        assertThat(c.newestFirst()).containsExactly("v9", "v8", "v7");
        assertThat(c.get("k6")).isNull();
        assertThat(c.get("k7")).isEqualTo("v7");
    }

    @Test
    void theCountIsBoundedTooAndAValueLargerThanTheBudgetIsNotKept() {
        ByteBoundedCache<String, String> c = new ByteBoundedCache<>(2, 1000);
        c.put("a", "1", 10);
        c.put("b", "2", 10);
        c.put("c", "3", 10);
        assertThat(c.asMap()).containsOnlyKeys("b", "c");
        c.put("huge", "4", 1001);
        assertThat(c.get("huge")).isNull();
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.bytes()).isEqualTo(20);
    }

    @Test
    void aReplacedValueIsCountedOnceAndBecomesTheNewest() {
        ByteBoundedCache<String, String> c = new ByteBoundedCache<>(10, 1000);
        c.put("a", "old", 400);
        c.put("b", "b", 100);
        c.put("a", "new", 500);
        assertThat(c.bytes()).isEqualTo(600);
        assertThat(c.newestFirst()).containsExactly("new", "b");
    }
}

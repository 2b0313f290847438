package dev.mailroom.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalizationTest {
    /** The example of RFC 6376 3.4.5. */
    private static final String MESSAGE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void relaxedMatchesTheRfcExample() {
        var parts = MessageParts.parse(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Canonicalization.RELAXED.header(parts.headers().get(0))).isEqualTo("a:X\r\n");
        assertThat(Canonicalization.RELAXED.header(parts.headers().get(1))).isEqualTo("b:Y Z\r\n");
        assertThat(Canonicalization.RELAXED.body(parts.body())).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void simpleMatchesTheRfcExample() {
        var parts = MessageParts.parse(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Canonicalization.SIMPLE.header(parts.headers().get(0))).isEqualTo("A: X\r\n");
        assertThat(Canonicalization.SIMPLE.header(parts.headers().get(1))).isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(Canonicalization.SIMPLE.body(parts.body())).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodiesDifferBetweenAlgorithms() {
        assertThat(Canonicalization.SIMPLE.body("")).isEqualTo("\r\n");
        assertThat(Canonicalization.SIMPLE.body("\r\n\r\n")).isEqualTo("\r\n");
        assertThat(Canonicalization.RELAXED.body("")).isEmpty();
        assertThat(Canonicalization.RELAXED.body(" \t\r\n\r\n")).isEmpty();
        assertThat(Canonicalization.RELAXED.body("no newline")).isEqualTo("no newline\r\n");
    }

    @Test
    void bareLineFeedsAreReadAsCrlf() {
        var parts = MessageParts.parse("A: 1\nB: 2\n continued\n\nbody\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(parts.headers()).extracting(MessageParts.HeaderField::raw).containsExactly("A: 1", "B: 2\r\n continued");
        assertThat(parts.body()).isEqualTo("body\r\n");
    }
}

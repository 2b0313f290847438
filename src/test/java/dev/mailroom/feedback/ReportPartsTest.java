package dev.mailroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportPartsTest {
    /** {@code depth} multiparts, each inside the one before. */
    private static byte[] nested(int depth) {
        var message = new StringBuilder("From: x@example.net\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            message.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\n550 5.1.1 user unknown\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            message.append("--b").append(i).append("--\r\n");
        }
        return message.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aMessageOfThousandsOfNestedPartsIsRefusedBeforeItIsParsed() {
        assertThatThrownBy(() -> ReportParts.parse(nested(5000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts");
    }

    @Test
    void aFewNestedPartsAreRead() {
        var parts = ReportParts.parse(nested(5));
        assertThat(parts.plainText()).contains("550 5.1.1 user unknown");
        assertThat(BounceReport.read(parts)).hasValueSatisfying(bounce -> assertThat(bounce.hard()).isTrue());
    }
}

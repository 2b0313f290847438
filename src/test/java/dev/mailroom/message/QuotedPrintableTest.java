package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedPrintableTest {
    @Test
    void linesStayWithin76CharactersAndNoLineOpensWithADot() {
        var encoded = QuotedPrintable.encode("a".repeat(75) + ".b\r\n.c = d \r\nü");
        assertThat(encoded.split("\r\n")).allSatisfy(line -> {
            assertThat(line.length()).isLessThanOrEqualTo(76);
            assertThat(line).doesNotStartWith(".");
        });
        assertThat(encoded).isEqualTo("a".repeat(75) + "=\r\n=2Eb\r\n=2Ec =3D d=20\r\n=C3=BC");
    }
}

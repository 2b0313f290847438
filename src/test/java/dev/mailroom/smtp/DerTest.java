package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {
    private static String hex(byte[] der) {
        return HexFormat.of().formatHex(der);
    }

    @Test
    void encodesTheElementsACertificateNeeds() {
        assertThat(hex(Der.oid("1.2.840.10045.4.3.2"))).isEqualTo("06082a8648ce3d040302");
        assertThat(hex(Der.oid("2.5.29.17"))).isEqualTo("0603551d11");
        assertThat(hex(Der.integer(BigInteger.TWO))).isEqualTo("020102");
        // a positive integer whose top bit is set takes a leading zero
        assertThat(hex(Der.integer(BigInteger.valueOf(128)))).isEqualTo("02020080");
        assertThat(hex(Der.bool(true))).isEqualTo("0101ff");
        assertThat(hex(Der.bitString(new byte[] {(byte) 0x80}, 7))).isEqualTo("03020780");
        assertThat(hex(Der.sequence())).isEqualTo("3000");
        assertThat(hex(Der.implicit(2, "a.b".getBytes()))).isEqualTo("8203612e62");
        assertThat(hex(Der.explicit(0, Der.integer(BigInteger.TWO)))).isEqualTo("a003020102");
    }

    @Test
    void usesLongLengthsPastOneHundredTwentySevenOctets() {
        assertThat(hex(Der.octetString(new byte[127])).substring(0, 4)).isEqualTo("047f");
        assertThat(hex(Der.octetString(new byte[128])).substring(0, 6)).isEqualTo("048180");
        assertThat(hex(Der.octetString(new byte[300])).substring(0, 8)).isEqualTo("0482012c");
    }

    @Test
    void switchesFromUtcTimeToGeneralizedTimeIn2050() {
        assertThat(new String(Der.time(Instant.parse("2049-12-31T23:59:59Z")), java.nio.charset.StandardCharsets.US_ASCII).substring(2))
                .isEqualTo("491231235959Z");
        assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))[0]).isEqualTo((byte) 0x17);
        assertThat(new String(Der.time(Instant.parse("2050-01-01T00:00:00Z")), java.nio.charset.StandardCharsets.US_ASCII).substring(2))
                .isEqualTo("20500101000000Z");
        assertThat(Der.time(Instant.parse("2050-01-01T00:00:00Z"))[0]).isEqualTo((byte) 0x18);
    }
}

package dev.mailroom.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTest {
    private final MasterKey key = MasterKey.generate();
    private final SecretSealer sealer = new SecretSealer(key);
    private final byte[] secret = "private key bytes".getBytes(StandardCharsets.US_ASCII);

    @Test
    void opensWhatItSealedAndHidesIt() {
        var sealed = sealer.seal(secret, "row-1");
        assertThat(sealed).startsWith("v1:").doesNotContain("private");
        assertThat(Base64.getDecoder().decode(sealed.substring(3))).hasSize(12 + secret.length + 16);
        assertThat(sealer.open(sealed, "row-1")).isEqualTo(secret);
        assertThat(sealer.seal(secret, "row-1")).as("a fresh nonce every time").isNotEqualTo(sealed);
    }

    @Test
    void refusesAnotherContextAnotherKeyOrATamperedValue() {
        var sealed = sealer.seal(secret, "row-1");
        assertThatThrownBy(() -> sealer.open(sealed, "row-2")).isInstanceOf(SecretSealer.SealException.class);
        assertThatThrownBy(() -> new SecretSealer(MasterKey.generate()).open(sealed, "row-1")).isInstanceOf(SecretSealer.SealException.class);
        var bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[20] ^= 1;
        assertThatThrownBy(() -> sealer.open("v1:" + Base64.getEncoder().encodeToString(bytes), "row-1")).isInstanceOf(SecretSealer.SealException.class);
        assertThatThrownBy(() -> sealer.open("v9:abc", "row-1")).isInstanceOf(SecretSealer.SealException.class);
    }

    @Test
    void masterKeyRoundTripsThroughBase64AndRejectsWrongSizes() {
        assertThat(new SecretSealer(MasterKey.fromBase64(key.toBase64())).open(sealer.seal(secret, "c"), "c")).isEqualTo(secret);
        assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32");
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64!")).hasMessageContaining("base64");
        assertThat(key.toString()).doesNotContain(key.toBase64());
    }
}

package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class VerpTest {
    private static byte[] secret() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private final Verp verp = new Verp(secret());

    @Test
    void aReturnPathDecodesToItsMessageAndRecipient() {
        var address = verp.returnPath("msg_01jq4m2x8z0c3k5v7n9p1r3t5w", 17, "rp.news.clienta.com");
        assertThat(address).matches("b-msg_01jq4m2x8z0c3k5v7n9p1r3t5w-17-[0-9a-z]{10}@rp\\.news\\.clienta\\.com");
        assertThat(address.substring(0, address.indexOf('@'))).hasSizeLessThanOrEqualTo(64);
        assertThat(verp.decode(address)).contains(new Verp.Target("msg_01jq4m2x8z0c3k5v7n9p1r3t5w", 17));
        assertThat(verp.decode(address.toUpperCase())).as("mail systems may change case").isPresent();
    }

    @Test
    void forgedOrAlteredAddressesAreRejected() {
        var address = verp.returnPath("msg_a1", 0, "rp.x.example");
        assertThat(verp.decode(address.replace("-0-", "-1-"))).isEmpty();
        assertThat(verp.decode(address.replace("msg_a1", "msg_a2"))).isEmpty();
        assertThat(new Verp(secret()).decode(address)).as("another installation's key").isEmpty();
        assertThat(verp.decode("postmaster@rp.x.example")).isEmpty();
        assertThat(verp.decode("b-msg_a1-0-zzzzzzzzzz@rp.x.example")).isEmpty();
    }

    @Test
    void onlyAddressesThatDecodeAreMade() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verp.returnPath("msg_a1", 100_000, "rp.x.example"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verp.returnPath("msg_" + "a".repeat(60), 0, "rp.x.example"))
                .hasMessageContaining("64");
    }
}

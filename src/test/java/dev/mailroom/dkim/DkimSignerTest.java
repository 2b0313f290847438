package dev.mailroom.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.InMemoryZone;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mailroom's signer checked by Mailroom's verifier; the interop tests check both against others. */
class DkimSignerTest {
    static final String MESSAGE = "From: Client A <hello@tx.clienta.example>\r\n"
            + "To: someone@example.net\r\n"
            + "Subject: Your receipt\r\n"
            + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <r1@tx.clienta.example>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "X-Not-Signed: anything\r\n"
            + "\r\n"
            + "Thank you  for your order.   \r\n"
            + "\r\n"
            + "Caf\u00e9 \u2014 total 12.00\r\n\r\n\r\n";

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    private final DkimKeyPair rsa = new DkimKeyGenerator().generate(DkimAlgorithm.RSA_SHA256);
    private final DkimKeyPair ed25519 = new DkimKeyGenerator().generate(DkimAlgorithm.ED25519_SHA256);
    private final InMemoryZone dns = new InMemoryZone()
            .txt("r1._domainkey.tx.clienta.example", rsa.txtRecord())
            .txt("e1._domainkey.tx.clienta.example", ed25519.txtRecord());
    private final List<SigningKey> keys = List.of(
            SigningKey.of("tx.clienta.example", "r1", DkimAlgorithm.RSA_SHA256, rsa.privateKeyPkcs8()),
            SigningKey.of("tx.clienta.example", "e1", DkimAlgorithm.ED25519_SHA256, ed25519.privateKeyPkcs8()));

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] signed(List<String> signatures, byte[] message) {
        return bytes(String.join("", signatures) + new String(message, StandardCharsets.UTF_8));
    }

    private List<DkimVerdict> verify(byte[] message) {
        return new DkimVerifier(dns, CLOCK).verify(message);
    }

    @Test
    void bothSignaturesVerifyAndShareOneBodyHash() {
        var signatures = new DkimSigner(CLOCK).sign(bytes(MESSAGE), keys);
        assertThat(signatures).hasSize(2);
        assertThat(signatures.get(0)).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=tx.clienta.example; s=r1;")
                .contains("t=" + CLOCK.instant().getEpochSecond()).doesNotContain("l=").endsWith("\r\n");
        assertThat(signatures.get(1)).contains("a=ed25519-sha256");
        assertThat(bodyHash(signatures.get(0))).isEqualTo(bodyHash(signatures.get(1)));
        assertThat(signatures).allSatisfy(s -> assertThat(s.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100)));
        assertThat(verify(signed(signatures, bytes(MESSAGE)))).containsExactly(
                new DkimVerdict.Pass("tx.clienta.example", "r1", DkimAlgorithm.RSA_SHA256),
                new DkimVerdict.Pass("tx.clienta.example", "e1", DkimAlgorithm.ED25519_SHA256));
    }

    @Test
    void signedHeadersFollowThePolicyWithFromOversigned() {
        var signature = new DkimSigner(CLOCK).sign(bytes(MESSAGE), keys.subList(0, 1)).getFirst();
        var h = TagList.parse(signature.substring(signature.indexOf(':') + 1).replace("\r\n", "")).require("h").replaceAll("\\s", "");
        assertThat(h).isEqualTo("from:from:to:subject:subject:date:message-id:mime-version:content-type");
    }

    @Test
    void changesThatMatterBreakTheSignatureAndOthersDoNot() {
        var signatures = new DkimSigner(CLOCK).sign(bytes(MESSAGE), keys);
        var bodyChanged = MESSAGE.replace("12.00", "13.00");
        assertThat(verify(signed(signatures, bytes(bodyChanged)))).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Fail.class));
        var subjectChanged = MESSAGE.replace("Your receipt", "Your prize");
        assertThat(verify(signed(signatures, bytes(subjectChanged)))).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Fail.class));
        var secondFrom = "From: attacker@evil.example\r\n" + MESSAGE;
        assertThat(verify(signed(signatures, bytes(secondFrom)))).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Fail.class));
        // relaxed canonicalization forgives re-folding, trailing blank lines and unsigned headers
        var harmless = "X-Added: later\r\n" + MESSAGE.replace("Subject: Your receipt", "Subject:   Your\r\n  receipt") + "\r\n\r\n";
        assertThat(verify(signed(signatures, bytes(harmless)))).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Pass.class));
    }

    @Test
    void keyProblemsAreTellingVerdicts() {
        var signatures = new DkimSigner(CLOCK).sign(bytes(MESSAGE), keys.subList(0, 1));
        var message = signed(signatures, bytes(MESSAGE));
        assertThat(new DkimVerifier(new InMemoryZone(), CLOCK).verify(message).getFirst()).isInstanceOf(DkimVerdict.PermError.class);
        var revoked = new InMemoryZone().txt("r1._domainkey.tx.clienta.example", "v=DKIM1; k=rsa; p=");
        assertThat(new DkimVerifier(revoked, CLOCK).verify(message).getFirst())
                .isInstanceOfSatisfying(DkimVerdict.PermError.class, e -> assertThat(e.reason()).contains("revoked"));
        var wrongKey = new InMemoryZone().txt("r1._domainkey.tx.clienta.example", new DkimKeyGenerator().generate(DkimAlgorithm.RSA_SHA256).txtRecord());
        assertThat(new DkimVerifier(wrongKey, CLOCK).verify(message).getFirst()).isInstanceOf(DkimVerdict.Fail.class);
        var failing = new InMemoryZone().timeout("r1._domainkey.tx.clienta.example");
        assertThat(new DkimVerifier(failing, CLOCK).verify(message).getFirst()).isInstanceOf(DkimVerdict.TempError.class);
        assertThat(new DkimVerifier(dns, CLOCK).verify(bytes(MESSAGE))).isEmpty();
    }

    private static String bodyHash(String signature) {
        return TagList.parse(signature.substring(signature.indexOf(':') + 1).replace("\r\n", "")).require("bh");
    }
}

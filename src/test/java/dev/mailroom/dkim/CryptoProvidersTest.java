package dev.mailroom.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.InMemoryZone;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CryptoProvidersTest {
    @Test
    void signingAndVerifyingStillAgreeWithTheFastProviderFirst() throws Exception {
        var installed = CryptoProviders.installPreferred();
        Assumptions.assumeTrue(installed.startsWith("Amazon"), "skipped: " + installed);
        assertThat(Signature.getInstance("SHA256withRSA").getProvider().getName()).isEqualTo(CryptoProviders.NAME);
        assertThat(Signature.getInstance("Ed25519").getProvider().getName()).isEqualTo(CryptoProviders.NAME);
        assertThat(KeyPairGenerator.getInstance("RSA").getProvider().getName()).isEqualTo(CryptoProviders.NAME);

        var rsa = new DkimKeyGenerator().generate(DkimAlgorithm.RSA_SHA256);
        var ed25519 = new DkimKeyGenerator().generate(DkimAlgorithm.ED25519_SHA256);
        var dns = new InMemoryZone().txt("r._domainkey.example.com", rsa.txtRecord()).txt("e._domainkey.example.com", ed25519.txtRecord());
        var message = DkimSignerTest.bytes(DkimSignerTest.MESSAGE);
        var signatures = new DkimSigner(Clock.systemUTC()).sign(message, List.of(
                SigningKey.of("example.com", "r", DkimAlgorithm.RSA_SHA256, rsa.privateKeyPkcs8()),
                SigningKey.of("example.com", "e", DkimAlgorithm.ED25519_SHA256, ed25519.privateKeyPkcs8())));
        var signed = DkimSignerTest.bytes(String.join("", signatures) + DkimSignerTest.MESSAGE);
        assertThat(new DkimVerifier(dns, Clock.systemUTC()).verify(signed)).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Pass.class));
        assertThat(CryptoProviders.installPreferred()).as("installing twice is harmless").startsWith("Amazon");
    }
}

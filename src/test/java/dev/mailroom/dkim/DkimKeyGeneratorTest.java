package dev.mailroom.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;

class DkimKeyGeneratorTest {
    private final DkimKeyGenerator generator = new DkimKeyGenerator();

    @Test
    void rsaKeysAre2048BitsPublishedAsSubjectPublicKeyInfo() throws Exception {
        var pair = generator.generate(DkimAlgorithm.RSA_SHA256);
        var publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pair.publicKeyForDns()));
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        assertThat(pair.txtRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
    }

    @Test
    void ed25519KeysArePublishedRawAsRfc8463Asks() {
        var pair = generator.generate(DkimAlgorithm.ED25519_SHA256);
        assertThat(pair.publicKeyForDns()).hasSize(32);
        assertThat(pair.txtRecord()).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(pair.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(pair.privateKeyPkcs8()));
    }
}

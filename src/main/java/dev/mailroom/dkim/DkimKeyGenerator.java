package dev.mailroom.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Arrays;

/** Generates DKIM key pairs: RSA-2048 (what every verifier accepts) and Ed25519 (RFC 8463). */
public final class DkimKeyGenerator {
    static final int RSA_BITS = 2048;
    /** An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix followed by the raw 32-byte key. */
    private static final int ED25519_SPKI_PREFIX = 12;

    public DkimKeyPair generate(DkimAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case RSA_SHA256 -> {
                    var generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(RSA_BITS);
                    var pair = generator.generateKeyPair();
                    yield new DkimKeyPair(algorithm, pair.getPrivate().getEncoded(), pair.getPublic().getEncoded());
                }
                case ED25519_SHA256 -> {
                    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    var spki = pair.getPublic().getEncoded();
                    var raw = Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX, spki.length);
                    yield new DkimKeyPair(algorithm, pair.getPrivate().getEncoded(), raw);
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }
}

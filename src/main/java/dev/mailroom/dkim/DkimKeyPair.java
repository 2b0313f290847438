package dev.mailroom.dkim;

import java.util.Base64;

/**
 * A freshly generated key: the private key as PKCS#8 DER, and the public key in the form the
 * DNS record's {@code p=} tag carries (RFC 6376: SubjectPublicKeyInfo for RSA; RFC 8463: the
 * raw 32-byte key for Ed25519).
 */
public record DkimKeyPair(DkimAlgorithm algorithm, byte[] privateKeyPkcs8, byte[] publicKeyForDns) {

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKeyForDns);
    }

    /** The TXT record value that publishes this key. */
    public String txtRecord() {
        return algorithm.keyRecord(publicKeyBase64());
    }

    @Override
    public String toString() {
        return "DkimKeyPair[" + algorithm + ", public=" + publicKeyBase64() + "]";
    }
}

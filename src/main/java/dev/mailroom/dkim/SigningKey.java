package dev.mailroom.dkim;

import java.security.PrivateKey;

/** A key to sign with: the signing domain (d=), the selector (s=) and the private key. */
public record SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey) {
    public static SigningKey of(String domain, String selector, DkimAlgorithm algorithm, byte[] pkcs8) {
        return new SigningKey(domain, selector, algorithm, DkimCrypto.privateKey(algorithm, pkcs8));
    }

    @Override
    public String toString() {
        return "SigningKey[" + selector + "._domainkey." + domain + ", " + algorithm.tag() + "]";
    }
}

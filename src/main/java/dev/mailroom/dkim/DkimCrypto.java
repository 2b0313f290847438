package dev.mailroom.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The signature primitives of each algorithm. RSA-SHA256 signs the data with PKCS#1 v1.5;
 * Ed25519-SHA256 (RFC 8463) signs the SHA-256 hash of the data with PureEdDSA.
 */
final class DkimCrypto {
    /** SubjectPublicKeyInfo prefix of an Ed25519 key; DNS carries only the 32 bytes after it. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** SubjectPublicKeyInfo header for an RSA key given as a bare PKCS#1 RSAPublicKey, before its length. */
    private static final byte[] RSA_ALGORITHM_ID = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    private DkimCrypto() {}

    static PrivateKey privateKey(DkimAlgorithm algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(keyAlgorithm(algorithm)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + algorithm.tag() + " private key", e);
        }
    }

    /** The public key from a DNS record's p= bytes: SPKI or bare PKCS#1 for RSA, 32 raw bytes for Ed25519. */
    static PublicKey publicKey(DkimAlgorithm algorithm, byte[] fromDns) throws GeneralSecurityException {
        var factory = KeyFactory.getInstance(keyAlgorithm(algorithm));
        return switch (algorithm) {
            case RSA_SHA256 -> {
                try {
                    yield factory.generatePublic(new X509EncodedKeySpec(fromDns));
                } catch (GeneralSecurityException notSpki) {
                    yield factory.generatePublic(new X509EncodedKeySpec(rsaSpki(fromDns)));
                }
            }
            case ED25519_SHA256 -> {
                if (fromDns.length != 32) {
                    throw new GeneralSecurityException("an Ed25519 key is 32 bytes, got " + fromDns.length);
                }
                var spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
                System.arraycopy(fromDns, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                yield factory.generatePublic(new X509EncodedKeySpec(spki));
            }
        };
    }

    static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        var signer = Signature.getInstance(signatureAlgorithm(algorithm));
        signer.initSign(key);
        signer.update(input(algorithm, data));
        return signer.sign();
    }

    static boolean verify(DkimAlgorithm algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        var verifier = Signature.getInstance(signatureAlgorithm(algorithm));
        verifier.initVerify(key);
        verifier.update(input(algorithm, data));
        return verifier.verify(signature);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static byte[] input(DkimAlgorithm algorithm, byte[] data) {
        return algorithm == DkimAlgorithm.ED25519_SHA256 ? sha256().digest(data) : data;
    }

    private static String keyAlgorithm(DkimAlgorithm algorithm) {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519";
    }

    private static String signatureAlgorithm(DkimAlgorithm algorithm) {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519";
    }

    /** Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (some publish the bare form). */
    private static byte[] rsaSpki(byte[] pkcs1) {
        var bitString = concat(new byte[] {0x03}, derLength(pkcs1.length + 1), new byte[] {0x00}, pkcs1);
        var body = concat(RSA_ALGORITHM_ID, bitString);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (var part : parts) {
            total += part.length;
        }
        var result = new byte[total];
        int offset = 0;
        for (var part : parts) {
            System.arraycopy(part, 0, result, offset, part.length);
            offset += part.length;
        }
        return result;
    }
}

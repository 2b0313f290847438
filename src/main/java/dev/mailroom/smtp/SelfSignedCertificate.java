package dev.mailroom.smtp;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An X.509 v3 certificate (RFC 5280) for a server name, signed by its own EC P-256 key with ECDSA
 * SHA-256: enough for STARTTLS where no CA-issued certificate is configured, since SMTP clients
 * rarely verify a submission server's certificate against a CA, and those that pin can pin this one.
 */
final class SelfSignedCertificate {
    static final Duration VALIDITY = Duration.ofDays(3652);
    /** Starting a day early keeps clients with a slow clock from seeing a certificate "not yet valid". */
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private SelfSignedCertificate() {}

    static KeyPair generateKey() throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Issues a certificate for {@code hostname} (subject CN and dNSName), valid about ten years from {@code now}. */
    static X509Certificate issue(KeyPair key, String hostname, Instant now) throws GeneralSecurityException {
        var random = new SecureRandom();
        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 127 random bits with the top one set for a fixed length
        var serial = new BigInteger(127, random).setBit(126);
        var notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        var name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(hostname))));
        var algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        var extensions = Der.sequence(
                // critical, cA FALSE (the default, so encoded as an empty sequence): a leaf, not a CA
                Der.sequence(Der.oid(BASIC_CONSTRAINTS), Der.bool(true), Der.octetString(Der.sequence())),
                // critical, digitalSignature only: what an ECDHE handshake signs with
                Der.sequence(Der.oid(KEY_USAGE), Der.bool(true), Der.octetString(Der.bitString(new byte[] {(byte) 0x80}, 7))),
                Der.sequence(Der.oid(EXTENDED_KEY_USAGE), Der.octetString(Der.sequence(Der.oid(SERVER_AUTH)))),
                // clients match the name here, not in the CN (RFC 6125)
                Der.sequence(Der.oid(SUBJECT_ALT_NAME),
                        Der.octetString(Der.sequence(Der.implicit(2, hostname.getBytes(StandardCharsets.US_ASCII))))));
        var tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(serial),
                algorithm,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notBefore.plus(VALIDITY))),
                name,
                key.getPublic().getEncoded(),
                Der.explicit(3, extensions));
        var signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate(), random);
        signer.update(tbs);
        var certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign(), 0));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }
}

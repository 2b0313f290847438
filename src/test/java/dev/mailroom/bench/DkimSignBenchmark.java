package dev.mailroom.bench;

import dev.mailroom.dkim.CryptoProviders;
import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DKIM signatures per second, by provider and algorithm: what one signature over a typical
 * signed-header block costs. Run with {@code bench/dkim.sh}; results in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimSignBenchmark {
    /** About what relaxed canonicalization of a transactional message's signed headers gives. */
    private static final byte[] HEADERS = ("from:Client A <hello@tx.clienta.example>\r\nto:someone@example.net\r\n"
            + "subject:Your receipt for order 12345\r\ndate:Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "message-id:<01jq4m2x8z0c3k5v7n9p1r3t5w@tx.clienta.example>\r\nmime-version:1.0\r\n"
            + "content-type:multipart/alternative; boundary=\"b1\"\r\n"
            + "dkim-signature:v=1; a=rsa-sha256; c=relaxed/relaxed; d=tx.clienta.example; s=tx20261124r; t=1795514400; "
            + "h=from:from:to:subject:subject:date:message-id:mime-version:content-type; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=")
            .getBytes(StandardCharsets.US_ASCII);

    @Param({"jdk", "accp"})
    public String provider;

    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    private Signature signature;
    private PrivateKey key;
    private boolean hashFirst;

    @Setup
    public void setUp() throws Exception {
        var dkimAlgorithm = DkimAlgorithm.fromTag(algorithm);
        var rsa = dkimAlgorithm == DkimAlgorithm.RSA_SHA256;
        var chosen = chooseProvider(rsa);
        var pair = new DkimKeyGenerator().generate(dkimAlgorithm);
        // keys come from the default KeyFactory (Corretto has none for Ed25519); signatures from the provider measured
        key = KeyFactory.getInstance(rsa ? "RSA" : "Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pair.privateKeyPkcs8()));
        signature = Signature.getInstance(rsa ? "SHA256withRSA" : "Ed25519", chosen);
        hashFirst = !rsa;
    }

    private Provider chooseProvider(boolean rsa) {
        if (provider.equals("accp")) {
            var installed = CryptoProviders.installPreferred();
            if (!installed.startsWith("Amazon")) {
                throw new IllegalStateException(installed);
            }
            return Security.getProvider("AmazonCorrettoCryptoProvider");
        }
        return Security.getProvider(rsa ? "SunRsaSign" : "SunEC");
    }

    @Benchmark
    public byte[] sign() throws Exception {
        signature.initSign(key);
        // RFC 8463: Ed25519-SHA256 signs the SHA-256 hash of the data
        signature.update(hashFirst ? MessageDigest.getInstance("SHA-256").digest(HEADERS) : HEADERS);
        return signature.sign();
    }
}

package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS material: the self-signed certificate made here (parsed by the JDK and by OpenSSL, signature
 * checked, reused and replaced), and PEM files from elsewhere. The RSA files under
 * src/test/resources/smtp were made with OpenSSL 3.0 for tests only and are valid until 2126:
 * test-ca.pem is a throw-away CA (its key was not kept), rsa-chain.pem a leaf for
 * mail.mailroom.test issued by it followed by the CA, rsa-key.pem the leaf's PKCS#8 key.
 */
class TlsMaterialTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Path RESOURCES = Path.of("src/test/resources/smtp");
    @TempDir
    Path dir;

    @Test
    void makesASelfSignedCertificateThatParsesAndVerifies() throws Exception {
        var material = TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", CLOCK);
        var certificateFile = dir.resolve("submission-cert.pem");
        var keyFile = dir.resolve("submission-key.pem");
        assertThat(Files.readString(certificateFile)).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(certificate).isEqualTo(material.chain().getFirst());
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSerialNumber().signum()).isPositive();
        assertThat(certificate.getSerialNumber().bitLength()).isEqualTo(127);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=mail.mailroom.test");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.mailroom.test"));
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3652));
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).isTrue();
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getOrder().bitLength()).isEqualTo(256);
        assertThat(material.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void keepsTheCertificateAcrossStartsAndReplacesItWhenItNoLongerFits() throws Exception {
        var first = TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", CLOCK);
        var again = TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", Clock.offset(CLOCK, Duration.ofDays(365)));
        assertThat(again.chain()).isEqualTo(first.chain());
        assertThat(again.key().getEncoded()).isEqualTo(first.key().getEncoded());

        var renamed = TlsMaterial.selfSigned(dir, "submission", "smtp.mailroom.test", CLOCK);
        assertThat(renamed.chain().getFirst().getSubjectAlternativeNames()).containsExactly(List.of(2, "smtp.mailroom.test"));
        // within 30 days of its end it is replaced before clients see it expire
        var late = Clock.offset(CLOCK, Duration.ofDays(3652 - 1 - 20));
        var renewed = TlsMaterial.selfSigned(dir, "submission", "smtp.mailroom.test", late);
        assertThat(renewed.chain()).isNotEqualTo(renamed.chain());
        assertThat(renewed.chain().getFirst().getNotBefore().toInstant()).isEqualTo(late.instant().minus(Duration.ofDays(1)));

        // a key that does not belong to the certificate (a crash between the two writes) is replaced too
        Files.copy(dir.resolve("submission-key.pem"), dir.resolve("saved-key.pem"));
        TlsMaterial.selfSigned(dir, "other", "smtp.mailroom.test", CLOCK);
        Files.copy(dir.resolve("other-key.pem"), dir.resolve("submission-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var repaired = TlsMaterial.selfSigned(dir, "submission", "smtp.mailroom.test", late);
        assertThat(repaired.chain()).isNotEqualTo(renewed.chain());
        assertThat(TlsMaterial.fromPem(dir.resolve("submission-cert.pem"), dir.resolve("submission-key.pem")).chain()).isEqualTo(repaired.chain());
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).allMatch(name -> name.endsWith(".pem"));
        }
    }

    @Test
    void readsAnRsaChainFromPemFiles() throws Exception {
        var material = TlsMaterial.fromPem(RESOURCES.resolve("rsa-chain.pem"), RESOURCES.resolve("rsa-key.pem"));
        assertThat(material.chain()).hasSize(2);
        assertThat(material.chain().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=mail.mailroom.test");
        assertThat(material.key().getAlgorithm()).isEqualTo("RSA");
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("test-ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        // the client trusts only the CA: the server must send the whole chain
        assertThat(handshake(material.sslContext(), ca, "mail.mailroom.test")).startsWith("TLSv1.");
    }

    @Test
    void aSelfSignedCertificateCarriesATlsHandshake() throws Exception {
        var material = TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", Clock.systemUTC());
        var loaded = TlsMaterial.fromPem(dir.resolve("submission-cert.pem"), dir.resolve("submission-key.pem"));
        assertThat(handshake(loaded.sslContext(), material.chain().getFirst(), "mail.mailroom.test")).isEqualTo("TLSv1.3");
    }

    @Test
    void explainsPemFilesItCannotUse() throws Exception {
        var pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsMaterial.fromPem(RESOURCES.resolve("rsa-chain.pem"), pkcs1))
                .hasMessageContaining("RSA PRIVATE KEY").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> TlsMaterial.fromPem(RESOURCES.resolve("rsa-key.pem"), RESOURCES.resolve("rsa-key.pem")))
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> TlsMaterial.fromPem(RESOURCES.resolve("rsa-chain.pem"), RESOURCES.resolve("rsa-chain.pem")))
                .hasMessageContaining("no PEM private key");
        TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", CLOCK);
        assertThatThrownBy(() -> TlsMaterial.fromPem(RESOURCES.resolve("rsa-chain.pem"), dir.resolve("submission-key.pem")))
                .hasMessageContaining("does not belong to the certificate of CN=mail.mailroom.test");
        assertThatThrownBy(() -> TlsMaterial.selfSigned(dir, "submission", "mail server", CLOCK)).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> TlsMaterial.selfSigned(dir, "../x", "mail.mailroom.test", CLOCK)).hasMessageContaining("TLS file name");
    }

    @Test
    void openSslAcceptsTheSelfSignedCertificate() throws Exception {
        var openssl = Path.of("/usr/bin/openssl");
        Assumptions.assumeTrue(Files.isExecutable(openssl), "skipped: openssl is not installed");
        TlsMaterial.selfSigned(dir, "submission", "mail.mailroom.test", Clock.systemUTC());
        var certificate = dir.resolve("submission-cert.pem").toString();
        var verify = run(openssl.toString(), "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "mail.mailroom.test",
                "-CAfile", certificate, certificate);
        assertThat(verify).contains(": OK");
        var check = run(openssl.toString(), "pkey", "-in", dir.resolve("submission-key.pem").toString(), "-check", "-noout");
        assertThat(check).contains("valid");
    }

    private static String run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** One TLS handshake with a client trusting only {@code trusted} and checking {@code hostname}; returns the protocol. */
    static String handshake(SSLContext server, X509Certificate trusted, String hostname) throws Exception {
        try (var listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var accepted = Thread.ofVirtual().start(() -> {
                try (var socket = (SSLSocket) listener.accept(); OutputStream out = socket.getOutputStream()) {
                    socket.startHandshake();
                    out.write('x');
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("trusted", trusted);
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                var parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(hostname)));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo('x');
                accepted.join();
                return socket.getSession().getProtocol();
            }
        }
    }
}

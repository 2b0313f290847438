package dev.mailroom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.dkim.DkimSigner;
import dev.mailroom.dkim.SigningKey;
import dev.mailroom.dns.AuthoritativeServer;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.Zone;
import dev.mailroom.dns.ZoneRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mailroom's signatures checked by dkimverify and opendkim as packaged (see {@link PackagedVerifiers}). */
class SystemDkimVerifiersTest {
    @TempDir
    static Path dir;

    private static AuthoritativeServer server;
    private static PackagedVerifiers verifiers;
    private static String message;
    private static List<String> signatures;

    @BeforeAll
    static void start() throws Exception {
        verifiers = new PackagedVerifiers(dir);
        var generator = new DkimKeyGenerator();
        var rsa = generator.generate(DkimAlgorithm.RSA_SHA256);
        var ed25519 = generator.generate(DkimAlgorithm.ED25519_SHA256);
        var zone = new Zone("clienta.example", "ns.clienta.example", 1, List.of(
                new ZoneRecord("tx1r._domainkey.clienta.example", "TXT", DnsRecord.quotedStrings(rsa.txtRecord())),
                new ZoneRecord("tx1e._domainkey.clienta.example", "TXT", DnsRecord.quotedStrings(ed25519.txtRecord()))));
        try {
            server = new AuthoritativeServer(() -> List.of(zone), PackagedVerifiers.dnsAddress()).start();
        } catch (IOException e) {
            Assumptions.abort("skipped: cannot serve DNS on 127.0.0.1:53 (needs root and a free port 53): " + e.getMessage());
        }
        message = "From: Client A <hello@clienta.example>\r\nTo: someone@example.net\r\nSubject: Packaged verifiers\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <p1@clienta.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nChecked by dkimverify  and opendkim.\r\n\r\n";
        signatures = new DkimSigner(Clock.systemUTC()).sign(message.getBytes(StandardCharsets.US_ASCII), List.of(
                SigningKey.of("clienta.example", "tx1r", DkimAlgorithm.RSA_SHA256, rsa.privateKeyPkcs8()),
                SigningKey.of("clienta.example", "tx1e", DkimAlgorithm.ED25519_SHA256, ed25519.privateKeyPkcs8())));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void dkimverifyAcceptsBothSignatures() throws Exception {
        assertThat(verifiers.dkimverify(bytes(String.join("", signatures) + message))).containsExactly("pass", "pass");
        assertThat(verifiers.dkimverify(bytes(signatures.get(0) + message.replace("Checked", "Chucked")))).containsExactly("fail");
    }

    @Test
    void opendkimAcceptsTheRsaSignature() throws Exception {
        var result = verifiers.opendkim(bytes(signatures.get(0) + message));
        assertThat(result.exit()).as(result.output()).isZero();
        var tampered = verifiers.opendkim(bytes(signatures.get(0) + message.replace("Checked", "Chucked")));
        assertThat(tampered.exit()).as("a changed body must fail: " + tampered.output()).isNotZero();
    }

    @Test
    void opendkimAcceptsTheEd25519Signature() throws Exception {
        var result = verifiers.opendkim(bytes(signatures.get(1) + message));
        assertThat(result.exit()).as(result.output()).isZero();
    }
}

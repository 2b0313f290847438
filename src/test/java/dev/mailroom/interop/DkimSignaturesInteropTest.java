package dev.mailroom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.dkim.DkimSigner;
import dev.mailroom.dkim.DkimVerdict;
import dev.mailroom.dkim.DkimVerifier;
import dev.mailroom.dkim.SigningKey;
import dev.mailroom.dns.InMemoryZone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DKIM signatures across implementations: dkimpy's signed samples through Mailroom's verifier, Mailroom's through dkimpy. */
class DkimSignaturesInteropTest {
    /** RFC 8463 appendix A's Ed25519 key, which signs the sample rfc6376.signed.msg. */
    private static final String RFC8463_ED25519 = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    @TempDir
    Path dir;

    @Test
    void mailroomVerifiesTheSignedMessagesShippedWithDkimpy() throws Exception {
        var data = dkimpyTestData();
        var dns = new InMemoryZone()
                .txt("sed._domainkey.test.ex", Files.readString(data.resolve("eximtest.dns")).strip())
                .txt("brisbane._domainkey.football.example.com", RFC8463_ED25519)
                .txt("test._domainkey.football.example.com", Files.readString(data.resolve("test.txt")).strip());
        var verifier = new DkimVerifier(dns, Clock.systemUTC());

        assertThat(verifier.verify(Files.readAllBytes(data.resolve("ed25519test2.msg"))))
                .containsExactly(new DkimVerdict.Pass("test.ex", "sed", DkimAlgorithm.ED25519_SHA256));
        assertThat(verifier.verify(Files.readAllBytes(data.resolve("rfc6376.signed.msg")))).containsExactly(
                new DkimVerdict.Pass("football.example.com", "brisbane", DkimAlgorithm.ED25519_SHA256),
                new DkimVerdict.Pass("football.example.com", "test", DkimAlgorithm.RSA_SHA256));
        assertThat(verifier.verify(Files.readAllBytes(data.resolve("rfc6376.signed.rsa.msg"))))
                .containsExactly(new DkimVerdict.Pass("football.example.com", "test", DkimAlgorithm.RSA_SHA256));
        // and a sample altered after signing fails
        var altered = Files.readString(data.resolve("rfc6376.signed.rsa.msg"), StandardCharsets.ISO_8859_1).replace("We lost the game", "We won the game");
        assertThat(verifier.verify(altered.getBytes(StandardCharsets.ISO_8859_1))).singleElement().isInstanceOf(DkimVerdict.Fail.class);
    }

    @Test
    void dkimpyVerifiesWhatMailroomSigns() throws Exception {
        DkimKeysWithDkimpyTest.assumeDkimpy();
        var generator = new DkimKeyGenerator();
        var rsa = generator.generate(DkimAlgorithm.RSA_SHA256);
        var ed25519 = generator.generate(DkimAlgorithm.ED25519_SHA256);
        var message = ("From: Client A <hello@tx.clienta.example>\r\nTo: someone@example.net\r\nSubject: Interop\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <i1@tx.clienta.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello  from Mailroom, caf\u00e9.\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        var signatures = new DkimSigner(Clock.systemUTC()).sign(message, List.of(
                SigningKey.of("tx.clienta.example", "r1", DkimAlgorithm.RSA_SHA256, rsa.privateKeyPkcs8()),
                SigningKey.of("tx.clienta.example", "e1", DkimAlgorithm.ED25519_SHA256, ed25519.privateKeyPkcs8())));
        var file = dir.resolve("signed.eml");
        Files.write(file, (String.join("", signatures)).getBytes(StandardCharsets.US_ASCII));
        Files.write(file, message, java.nio.file.StandardOpenOption.APPEND);
        var dnsFile = dir.resolve("dns.txt");
        Files.writeString(dnsFile, "r1._domainkey.tx.clienta.example " + rsa.txtRecord() + "\n"
                + "e1._domainkey.tx.clienta.example " + ed25519.txtRecord() + "\n");

        assertThat(runDkimpy(file, dnsFile)).containsExactly("pass", "pass");
        // a changed body fails there too, so the pass above means something
        var tampered = dir.resolve("tampered.eml");
        Files.writeString(tampered, Files.readString(file, StandardCharsets.ISO_8859_1).replace("Hello", "Jello"), StandardCharsets.ISO_8859_1);
        assertThat(runDkimpy(tampered, dnsFile)).containsExactly("fail", "fail");
    }

    private List<String> runDkimpy(Path message, Path dnsFile) throws Exception {
        var script = dir.resolve("dkimpy_verify.py");
        if (!Files.exists(script)) {
            try (var in = getClass().getResourceAsStream("/interop/dkimpy_verify.py")) {
                Files.copy(in, script);
            }
        }
        var process = new ProcessBuilder(DkimKeysWithDkimpyTest.DEBIAN_PYTHON.toString(), script.toString(), message.toString(), dnsFile.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** Where python3-dkim keeps its test data, asked of Debian's python itself. */
    static Path dkimpyTestData() throws Exception {
        DkimKeysWithDkimpyTest.assumeDkimpy();
        var process = new ProcessBuilder(DkimKeysWithDkimpyTest.DEBIAN_PYTHON.toString(), "-c",
                "import dkim, os; print(os.path.join(os.path.dirname(dkim.__file__), 'tests', 'data'))").start();
        process.waitFor(30, TimeUnit.SECONDS);
        var path = Path.of(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(path), "skipped: python3-dkim ships no tests/data at " + path);
        return path;
    }
}

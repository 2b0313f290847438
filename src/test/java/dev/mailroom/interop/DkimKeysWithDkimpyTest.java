package dev.mailroom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys Mailroom generates and the TXT records it asks for, checked by an independent
 * implementation: Debian's python3-dkim signs with the private key and verifies against the record.
 */
public class DkimKeysWithDkimpyTest {
    /** Debian's interpreter, which has the Debian packages (not a pyenv one on PATH). */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void dkimpyVerifiesSignaturesMadeWithOurKeysAgainstOurRecords() throws Exception {
        assumeDkimpy();
        var generator = new DkimKeyGenerator();
        var rsa = generator.generate(DkimAlgorithm.RSA_SHA256);
        Files.writeString(dir.resolve("rsa-sha256.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.privateKeyPkcs8())
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("rsa-sha256.txt"), rsa.txtRecord());

        var ed25519 = generator.generate(DkimAlgorithm.ED25519_SHA256);
        // dkimpy takes the raw 32-byte seed, which ends the PKCS#8 encoding
        var pkcs8 = ed25519.privateKeyPkcs8();
        var seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        Files.writeString(dir.resolve("ed25519-sha256.key"), Base64.getEncoder().encodeToString(seed));
        Files.writeString(dir.resolve("ed25519-sha256.txt"), ed25519.txtRecord());

        var script = dir.resolve("sign_verify.py");
        try (var in = getClass().getResourceAsStream("/interop/dkimpy_sign_verify.py")) {
            Files.copy(in, script);
        }
        var process = new ProcessBuilder(DEBIAN_PYTHON.toString(), script.toString(), dir.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines()).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    public static void assumeDkimpy() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DEBIAN_PYTHON), "skipped: /usr/bin/python3 is missing (apt-get install python3-dkim)");
        var probe = new ProcessBuilder(DEBIAN_PYTHON.toString(), "-c", "import dkim, nacl").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "skipped: python3-dkim is not installed (apt-get install python3-dkim); .ci/run installs it");
    }
}

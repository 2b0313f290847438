package dev.mailroom.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.dns.KnotServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailroom check spf|domain} against a zone served by knotd. */
class CheckCommandTest {
    @TempDir
    static Path dir;

    private static KnotServer knot;
    private static String dns;

    @BeforeAll
    static void start() throws Exception {
        var key = new DkimKeyGenerator().generate(DkimAlgorithm.RSA_SHA256).txtRecord();
        knot = KnotServer.start(dir, "clienta.example", List.of(
                "@ IN MX 10 mx1.clienta.example.",
                "@ IN TXT \"v=spf1 ip4:192.0.2.0/24 include:_spf.clienta.example -all\"",
                "_spf IN TXT \"v=spf1 a:mail.clienta.example ~all\"",
                "mail IN A 198.51.100.20",
                "_dmarc IN TXT \"v=DMARC1; p=quarantine; rua=mailto:reports@clienta.example\"",
                "s1._domainkey IN TXT \"" + key.substring(0, 200) + "\" \"" + key.substring(200) + "\""));
        dns = "127.0.0.1:" + knot.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (knot != null) {
            knot.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void spfResults() {
        assertThat(run("check", "spf", "--dns", dns, "--ip", "192.0.2.7", "--sender", "a@clienta.example").out().strip()).isEqualTo("pass");
        var fail = run("check", "spf", "--dns", dns, "--ip", "203.0.113.9", "--sender", "a@clienta.example");
        assertThat(fail.out().strip()).isEqualTo("fail");
        assertThat(fail.err()).contains("203.0.113.9 is not allowed to send mail for clienta.example");
        assertThat(run("check", "spf", "--dns", dns, "--ip", "2001:db8::1", "--sender", "a@nothing.clienta.example").out().strip()).isEqualTo("none");
        // an empty sender (a bounce) is checked by its HELO name; this host is authorised through the include
        assertThat(run("check", "spf", "--dns", dns, "--ip", "198.51.100.20", "--sender", "", "--helo", "clienta.example").out().strip())
                .isEqualTo("pass");
        assertThat(run("check", "spf", "--dns", dns, "--ip", "nonsense", "--sender", "a@clienta.example").exit()).isEqualTo(2);
    }

    @Test
    void domainReport() {
        var report = run("check", "domain", "clienta.example", "--dns", dns, "--selector", "s1", "--selector", "s2");
        assertThat(report.exit()).isZero();
        assertThat(report.out()).contains("MX     10 mx1.clienta.example")
                .contains("SPF    v=spf1 ip4:192.0.2.0/24 include:_spf.clienta.example -all (2 of 10 lookups)")
                .contains("DMARC  p=quarantine, sp=quarantine, pct=100, reports to reports@clienta.example")
                .contains("DKIM   s1: 2048-bit RSA key");
        var sub = run("check", "domain", "news.clienta.example", "--dns", dns, "--selector", "s1");
        assertThat(sub.out()).contains("(organisational domain clienta.example)")
                .contains("DMARC  none (the name does not exist); the organisational domain's record applies: p=quarantine")
                .contains("DKIM   no key at the selectors tried (s1)");
    }
}

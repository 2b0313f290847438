package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.interop.DkimKeysWithDkimpyTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composed messages as Python's email package (an independent MIME parser) reads them. */
class MimeComposerTest {
    @TempDir
    Path dir;

    static Draft draft(String text, String html, List<Attachment> attachments) {
        return new Draft(
                EmailAddress.parse("Café Zoë <hello@news.clienta.example>"),
                List.of(EmailAddress.parse("someone@example.net"), EmailAddress.parse("\"Doe, Jane\" <jane@example.org>")),
                List.of(EmailAddress.parse("cc@example.net")),
                EmailAddress.parse("Support <support@clienta.example>"),
                "Grüße — your receipt for order 12345, with a subject long enough to need folding across lines",
                text, html, Map.of("X-Campaign", "winter-2026"), attachments,
                "msg_01jq4m2x8z0c3k5v7n9p1r3t5w@news.clienta.example", Instant.parse("2026-11-24T10:00:00Z"),
                List.of("https://t.news.clienta.example/u/abc", "mailto:u-abc@rp.news.clienta.example"),
                "winter:tnt_01jq:marketing:mailroom");
    }

    private JsonNode parse(byte[] message) throws Exception {
        DkimKeysWithDkimpyTest.assumeDkimpy();
        var file = Files.write(dir.resolve("m.eml"), message);
        var script = dir.resolve("parse_mime.py");
        try (var in = getClass().getResourceAsStream("/interop/parse_mime.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        var process = new ProcessBuilder(DkimKeysWithDkimpyTest.DEBIAN_PYTHON.toString(), script.toString(), file.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return new ObjectMapper().readTree(output);
    }

    @Test
    void headersAndAlternativePartsReadBackExactly() throws Exception {
        var text = "Hello Zoë,\r\nyour total is 12.00 €.   \r\n=== a line of equals and a very long line " + "x".repeat(120) + "\r\n.\r\nBye";
        var html = "<p>Hello Zoë, your total is <b>12.00 €</b>.</p>";
        var bytes = new MimeComposer().compose(draft(text, html, List.of()));
        var raw = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(raw.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(raw).doesNotContain("Bcc").contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

        var parsed = parse(bytes);
        assertThat(parsed.path("defects")).isEmpty();
        assertThat(parsed.path("From").asText()).isEqualTo("Café Zoë <hello@news.clienta.example>");
        assertThat(parsed.path("To").asText()).isEqualTo("someone@example.net, \"Doe, Jane\" <jane@example.org>");
        assertThat(parsed.path("Subject").asText()).isEqualTo("Grüße — your receipt for order 12345, with a subject long enough to need folding across lines");
        assertThat(parsed.path("Message-ID").asText()).isEqualTo("<msg_01jq4m2x8z0c3k5v7n9p1r3t5w@news.clienta.example>");
        assertThat(parsed.path("List-Unsubscribe").asText()).isEqualTo("<https://t.news.clienta.example/u/abc>, <mailto:u-abc@rp.news.clienta.example>");
        assertThat(parsed.path("Feedback-ID").asText()).isEqualTo("winter:tnt_01jq:marketing:mailroom");
        assertThat(parsed.path("X-Campaign").asText()).isEqualTo("winter-2026");
        assertThat(parsed.path("parts").get(0).asText()).isEqualTo("multipart/alternative");
        assertThat(parsed.path("parts").get(1).path("text").asText().replace("\r\n", "\n")).isEqualTo(text.replace("\r\n", "\n"));
        assertThat(parsed.path("parts").get(2).path("type").asText()).isEqualTo("text/html");
        assertThat(parsed.path("parts").get(2).path("text").asText()).startsWith(html);
    }

    @Test
    void attachmentsKeepTheirBytesAndNames() throws Exception {
        var pdf = new byte[100_000];
        new java.util.Random(7).nextBytes(pdf);
        var bytes = new MimeComposer().compose(draft("See attached.", null, List.of(
                new Attachment("receipt.pdf", "application/pdf", pdf),
                new Attachment("Rechnung März.txt", "text/plain", "Betrag: 12 €".getBytes(StandardCharsets.UTF_8)))));
        var parsed = parse(bytes);
        assertThat(parsed.path("defects")).isEmpty();
        assertThat(parsed.path("parts").get(0).asText()).isEqualTo("multipart/mixed");
        assertThat(parsed.path("parts").get(1).path("text").asText()).isEqualTo("See attached.");
        var first = parsed.path("parts").get(2);
        assertThat(first.path("filename").asText()).isEqualTo("receipt.pdf");
        assertThat(first.path("size").asInt()).isEqualTo(pdf.length);
        assertThat(first.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)));
        assertThat(parsed.path("parts").get(3).path("filename").asText()).isEqualTo("Rechnung März.txt");
    }

    @Test
    void ownedHeadersAndLineBreaksAreRefused() {
        assertThat(HeaderRules.problem("X-Campaign", "winter")).isEmpty();
        assertThat(HeaderRules.problem("From", "x@evil.example")).get().asString().contains("written by Mailroom");
        assertThat(HeaderRules.problem("dkim-signature", "v=1")).isPresent();
        assertThat(HeaderRules.problem("X-Injected", "a\r\nBcc: victim@example.net")).get().asString().contains("line break");
        assertThat(HeaderRules.problem("Bad Name", "x")).isPresent();
        var injected = new Draft(EmailAddress.parse("a@news.clienta.example"), List.of(EmailAddress.parse("b@example.net")), List.of(), null,
                "s", "t", null, Map.of("X-A", "1\nBcc: c@example.net"), List.of(), "m@news.clienta.example", Instant.now(), List.of(), null);
        assertThatThrownBy(() -> new MimeComposer().compose(injected)).hasMessageContaining("line break");
    }

    @Test
    void reviewedEdgesHold() throws Exception {
        var longName = "Jahresabschluss " + "ü".repeat(60) + ".pdf";
        var bytes = new MimeComposer().compose(draft(".starts with a dot\r\nsecond", null,
                List.of(new Attachment(longName, "application/pdf", new byte[] {1, 2, 3}))));
        var raw = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(raw).contains("Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n").contains("=2Estarts with a dot").contains("filename*1*=");
        assertThat(raw.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        var parsed = parse(bytes);
        assertThat(parsed.path("parts").get(1).path("text").asText()).startsWith(".starts with a dot");
        assertThat(parsed.path("parts").get(2).path("filename").asText()).isEqualTo(longName);

        var spoof = EmailAddress.parse("=?UTF-8?B?QmFuaw==?= <a@news.clienta.example>");
        assertThat(spoof.header()).doesNotStartWith("=?UTF-8?B?QmFuaw==?=");
        assertThat(EmailAddress.parse("\"Jane \\\"JJ\\\" Doe\" <j@example.org>").displayName()).isEqualTo("Jane \"JJ\" Doe");
        assertThatThrownBy(() -> new Attachment("a.txt", "text/plain\r\nX-Evil: 1", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmailAddress("x", "a@b.example>\r\nBcc: c@d.example")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HeaderRules.problem("Resent-From", "x")).isPresent();
        assertThat(HeaderRules.problem("ARC-Seal", "x")).isPresent();
        var subject = "x".repeat(1200);
        var tooLong = new Draft(EmailAddress.parse("a@news.clienta.example"), List.of(EmailAddress.parse("b@example.net")), List.of(), null,
                subject, "t", null, Map.of(), List.of(), "m@news.clienta.example", Instant.now(), List.of(), null);
        assertThatThrownBy(() -> new MimeComposer().compose(tooLong)).hasMessageContaining("998");
    }

    @Test
    void addressesAreParsedStrictly() {
        assertThat(EmailAddress.parse("  Zoë <ZOE@Bücher.Example> ")).isEqualTo(new EmailAddress("Zoë", "ZOE@xn--bcher-kva.example"));
        assertThat(EmailAddress.parse("plain@example.com").header()).isEqualTo("plain@example.com");
        for (var bad : List.of("", "no-at-sign", "a@", "@example.com", "a b@example.com", "a@-bad-.example", "x\r\n@example.com",
                "zoë@example.com")) {
            assertThatThrownBy(() -> EmailAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

package dev.mailroom.feedback;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound MX as another MTA sees it (swaks as the client): bounces to VERP return paths and
 * ARF reports become bounced and complained recipients and suppressions; strangers are refused
 * at RCPT.
 */
class InboundMxTest {
    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private String key;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed; .ci/run installs it");
        database = TestDatabase.H2.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of("MAILROOM_SUPPRESSION_SOFT_BOUNCE_LIMIT", "2"));
        server = fixture.server();
        var tenant = fixture.createTenant("Client A");
        fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
        key = fixture.key(tenant, "\"send\",\"read\"", null);
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private String send(String to) {
        var response = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"" + to + "\"],\"subject\":\"Hi\",\"text\":\"Hello\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("id");
    }

    /** swaks to the inbound MX; returns its transcript (exit status ignored: refusals are what some tests want). */
    private String swaks(String from, String to, String message) throws Exception {
        var file = Files.writeString(dir.resolve("message-" + System.nanoTime() + ".eml"), message);
        var process = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + server.mailroom().inboundPort(), "--from", from, "--to", to,
                "--helo", "mx.receiver.example", "--data", "@" + file).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private JsonNode recipient(String id) {
        return server.get("/v1/messages/" + id, key).json().path("recipients").get(0);
    }

    private List<JsonNode> events(String id, String type) {
        var list = new ArrayList<JsonNode>();
        server.get("/v1/events?message_id=" + id + "&type=" + type, ADMIN_KEY).json().path("data").forEach(list::add);
        return list;
    }

    /** Until the message's record is in the database (its message.queued event is written with it), as delivery waits for it too. */
    private void awaitIndexed(String id) throws InterruptedException {
        for (int i = 0; i < 250 && events(id, "message.queued").isEmpty(); i++) {
            Thread.sleep(20);
        }
    }

    private static String dsn(String recipient, String status, String diagnostic, String action) {
        return """
                From: Mail Delivery System <MAILER-DAEMON@mx.receiver.example>
                To: <bounce@rp.tx.clienta.example>
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                I'm sorry to have to inform you that your message could not be delivered.

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.receiver.example

                Final-Recipient: rfc822; %s
                Action: %s
                Status: %s
                Remote-MTA: dns; store.receiver.example
                Diagnostic-Code: smtp; %s

                --b1
                Content-Type: text/rfc822-headers

                From: news@tx.clienta.example
                Subject: Hi

                --b1--
                """.formatted(recipient, action, status, diagnostic).replace("\n", "\r\n");
    }

    @Test
    void aDsnToAReturnPathBouncesAndSuppressesTheRecipient() throws Exception {
        var id = send("gone@example.net");
        awaitIndexed(id);
        var returnPath = server.mailroom().verp().returnPath(id, 0, "rp.tx.clienta.example");
        var transcript = swaks("<>", returnPath, dsn("gone@example.net", "5.1.1", "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown", "failed"));
        assertThat(transcript).contains("250 2.0.0");

        assertThat(recipient(id).path("status").asText()).isEqualTo("bounced");
        var bounce = events(id, "message.bounced").get(0).path("data");
        assertThat(bounce.path("bounce_type").asText()).isEqualTo("hard");
        assertThat(bounce.path("category").asText()).isEqualTo("bad_mailbox");
        assertThat(bounce.path("source").asText()).isEqualTo("dsn");
        assertThat(bounce.path("remote_mta").asText()).isEqualTo("store.receiver.example");
        var suppressions = server.get("/v1/suppressions?email=gone@example.net", ADMIN_KEY).json().path("data");
        assertThat(suppressions).hasSize(1);
        assertThat(suppressions.get(0).path("reason").asText()).isEqualTo("hard_bounce");
        assertThat(suppressions.get(0).path("source_event_id").asText()).isEqualTo(events(id, "message.bounced").get(0).path("id").asText());

        var again = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"gone@example.net\"],\"subject\":\"Hi\",\"text\":\"Hello\"}");
        assertThat(again.json().path("recipients").get(0).path("status").asText()).isEqualTo("suppressed");
    }

    @Test
    void aDelayWarningAndAQuotaBounceDoNotSuppress() throws Exception {
        var id = send("slow@example.net");
        awaitIndexed(id);
        var returnPath = server.mailroom().verp().returnPath(id, 0, "rp.tx.clienta.example");
        swaks("<>", returnPath, dsn("slow@example.net", "4.4.7", "451 4.4.7 delivery time expired", "delayed"));
        var bounce = events(id, "message.bounced").get(0).path("data");
        assertThat(bounce.path("bounce_type").asText()).isEqualTo("soft");
        assertThat(recipient(id).path("status").asText()).as("a warning changes nothing").isEqualTo("queued");
        assertThat(server.get("/v1/suppressions?email=slow@example.net", ADMIN_KEY).json().path("data")).isEmpty();
    }

    @Test
    void repeatedSoftBouncesOfAFullMailboxSuppressIt() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(server.get("/v1/suppressions?email=full@example.net", ADMIN_KEY).json().path("data")).as("after %d", i).isEmpty();
            var id = send("full@example.net");
            awaitIndexed(id);
            var returnPath = server.mailroom().verp().returnPath(id, 0, "rp.tx.clienta.example");
            swaks("<>", returnPath, dsn("full@example.net", "4.2.2", "452 4.2.2 Mailbox full", "failed"));
            assertThat(events(id, "message.bounced").get(0).path("data").path("bounce_type").asText()).isEqualTo("soft");
        }
        var suppression = server.get("/v1/suppressions?email=full@example.net", ADMIN_KEY).json().path("data");
        assertThat(suppression).as("suppression.soft_bounce_limit is 2 here").hasSize(1);
        assertThat(suppression.get(0).path("reason").asText()).isEqualTo("hard_bounce");
    }

    @Test
    void anArfReportToTheFeedbackLoopAddressMarksAComplaint() throws Exception {
        var id = send("angry@example.net");
        awaitIndexed(id);
        var returnPath = server.mailroom().verp().returnPath(id, 0, "rp.tx.clienta.example");
        var arf = """
                From: <staff@fbl.receiver.example>
                To: <fbl@mailroom.localhost>
                Subject: FW: Hi
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="part"

                --part
                Content-Type: text/plain

                This is an email abuse report for an email message received from IP 192.0.2.25.

                --part
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: ReceiverFBL/1.0
                Version: 1
                Original-Mail-From: <%s>
                Original-Rcpt-To: <angry@example.net>
                Source-IP: 192.0.2.25

                --part
                Content-Type: message/rfc822

                Return-Path: <%s>
                From: news@tx.clienta.example
                To: angry@example.net
                Message-ID: <%s@tx.clienta.example>
                Subject: Hi

                Hello
                --part--
                """.formatted(returnPath, returnPath, id).replace("\n", "\r\n");
        assertThat(swaks("staff@fbl.receiver.example", "fbl@mailroom.localhost", arf)).contains("250 2.0.0");
        assertThat(recipient(id).path("status").asText()).isEqualTo("complained");
        var complaint = events(id, "message.complained").get(0).path("data");
        assertThat(complaint.path("feedback_type").asText()).isEqualTo("abuse");
        assertThat(complaint.path("source_ip").asText()).isEqualTo("192.0.2.25");
        assertThat(server.get("/v1/suppressions?email=angry@example.net", ADMIN_KEY).json().path("data").get(0).path("reason").asText())
                .isEqualTo("complaint");
    }

    @Test
    void mailToTheUnsubscribeAddressUnsubscribes() throws Exception {
        var tenant = server.get("/v1/tenants", ADMIN_KEY).json().path("data").get(0).path("id").asText();
        var news = fixture.verifiedDomain(tenant, "news.clienta.example", "marketing");
        var response = server.post("/v1/messages", key, "{\"from\":\"deals@news.clienta.example\",\"to\":[\"reader@example.net\"],"
                + "\"subject\":\"Sale\",\"text\":\"50% off\"}");
        var id = response.text("id");
        awaitIndexed(id);
        var address = server.mailroom().trackingTokens().unsubscribeAddress(
                dev.mailroom.message.TrackingToken.Target.unsubscribe(id, java.util.OptionalInt.of(0)), "rp.news.clienta.example");
        assertThat(new String(server.mailroom().spool().read(id).orElseThrow().body())).contains("mailto:" + address);
        assertThat(swaks("reader@example.net", address, "Subject: unsubscribe\r\n\r\n\r\n")).contains("250 2.0.0");
        var unsubscribed = events(id, "message.unsubscribed");
        assertThat(unsubscribed).hasSize(1);
        assertThat(unsubscribed.get(0).path("data").path("via").asText()).isEqualTo("mailto");
        var suppression = server.get("/v1/suppressions?email=reader@example.net", ADMIN_KEY).json().path("data").get(0);
        assertThat(suppression.path("reason").asText()).isEqualTo("unsubscribe");
        assertThat(suppression.path("domain_id").asText()).isEqualTo(news);
    }

    @Test
    void aDmarcReportMailedToTheDomainsRuaAddressIsStored() throws Exception {
        var domain = server.get("/v1/domains", ADMIN_KEY).json().path("data").get(0);
        var rua = java.util.stream.StreamSupport.stream(domain.path("records").spliterator(), false)
                .filter(r -> r.path("purpose").asText().equals("dmarc")).findFirst().orElseThrow().path("value").asText()
                .replaceAll(".*rua=mailto:([^;\\s]+).*", "$1");
        var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <feedback>
                  <report_metadata><org_name>receiver.example</org_name><email>dmarc@receiver.example</email>
                    <report_id>r-1</report_id><date_range><begin>1795392000</begin><end>1795478399</end></date_range></report_metadata>
                  <policy_published><domain>tx.clienta.example</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
                  <record><row><source_ip>192.0.2.25</source_ip><count>7</count>
                    <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
                    <identifiers><header_from>tx.clienta.example</header_from></identifiers>
                    <auth_results><dkim><domain>tx.clienta.example</domain><result>pass</result></dkim>
                      <spf><domain>rp.tx.clienta.example</domain><result>pass</result></spf></auth_results></record>
                </feedback>
                """;
        var gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        var attachment = Files.write(dir.resolve("receiver.example!tx.clienta.example!1795392000!1795478399.xml.gz"), gz.toByteArray());
        var process = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + server.mailroom().inboundPort(), "--from", "dmarc@receiver.example",
                "--to", rua, "--helo", "mx.receiver.example", "--attach-type", "application/gzip", "--attach", "@" + attachment)
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var transcript = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(transcript).contains("250 2.0.0");
        var reports = server.get("/v1/dmarc-reports?domain_id=" + domain.path("id").asText(), ADMIN_KEY).json().path("data");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).toString()).contains("192.0.2.25").contains("receiver.example");
    }

    @Test
    void suppressionsGoInAndOutAsCsv() {
        var tenant = server.get("/v1/tenants", ADMIN_KEY).json().path("data").get(0).path("id").asText();
        var bad = server.send("POST", "/v1/suppressions/import?tenant_id=" + tenant, ADMIN_KEY, "ann@example.net\nnot-an-address\n");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("line 2");
        assertThat(server.get("/v1/suppressions?email=ann@example.net", ADMIN_KEY).json().path("data")).as("nothing imported").isEmpty();

        var imported = server.send("POST", "/v1/suppressions/import?tenant_id=" + tenant, ADMIN_KEY,
                "email,reason\nann@example.net\nbob@example.org,complaint\n");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().path("added").asInt()).isEqualTo(2);
        var export = server.get("/v1/suppressions/export?tenant_id=" + tenant, ADMIN_KEY);
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.body()).startsWith("email,domain_id,reason,created_at").contains("ann@example.net,,manual,").contains("bob@example.org,,complaint,");
        assertThat(send("ann@example.net")).isNotNull();
        var again = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"bob@example.org\"],\"subject\":\"Hi\",\"text\":\"Hello\"}");
        assertThat(again.json().path("recipients").get(0).path("status").asText()).isEqualTo("suppressed");
    }

    @Test
    void strangersAndForgedReturnPathsAreRefusedAtRcpt() throws Exception {
        var id = send("someone@example.net");
        awaitIndexed(id);
        var forged = server.mailroom().verp().returnPath(id, 0, "rp.tx.clienta.example").replaceFirst("-[a-z0-9]+@", "-aaaaaaaaaaaa@");
        for (var stranger : List.of("postmaster@example.org", "anyone@rp.tx.clienta.example", forged, "dmarc+nosuchtoken@elsewhere.example")) {
            var transcript = swaks("someone@example.org", stranger, "Subject: hi\r\n\r\nhi\r\n");
            assertThat(transcript).as(stranger).contains("550 5.1.1");
        }
        assertThat(recipient(id).path("status").asText()).isEqualTo("queued");
    }
}

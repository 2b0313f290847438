package dev.mailroom.delivery;

import dev.mailroom.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.app.MailroomProcess;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of delivering 20,000 acknowledged messages: after a restart every recipient
 * reaches the sink, and the only duplicates are the few that were in flight at the kill (delivered
 * by the sink, not yet recorded as delivered in the spool).
 */
class DeliveryCrashTest {
    private static final int MESSAGES = 20_000;
    private static final String SINK = "127.0.0.35";
    private static final String KEY = "delivery-crash-admin-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecipientIsDeliveredAfterKillNine() throws Exception {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed; .ci/run installs it");
        try (var knot = KnotServer.start(Files.createDirectories(dir.resolve("knot")), SendingFixture.ZONE, List.of())) {
            int mxPort = SmtpSink.freePort(SINK);
            var env = new HashMap<>(Map.of("MAILROOM_DATA_DIR", dir.resolve("data").toString(),
                    "MAILROOM_HTTP_LISTEN", "127.0.0.1:" + MailroomProcess.freePort(), "MAILROOM_ADMIN_KEY", KEY,
                    "MAILROOM_DNS_SERVERS", "127.0.0.1:" + knot.address().getPort(), "MAILROOM_HOSTNAME", "mx.test.example",
                    "MAILROOM_SMTP_SUBMISSION_LISTEN", "127.0.0.1:0", "MAILROOM_DELIVERY_MX_PORT", Integer.toString(mxPort),
                    "MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1s", "MAILROOM_DELIVERY_RETRY_MAX_DELAY", "2s"));
            var log = dir.resolve("server.log");

            // accept the whole run first, with delivery held, so that the kill falls in the middle of delivering it
            env.put("MAILROOM_DELIVERY_ENABLED", "false");
            try (var mailroom = MailroomProcess.start(log, env)) {
                var tenant = mailroom.post("/v1/tenants", "{\"name\":\"Crash\"}").path("id").asText();
                var domain = mailroom.post("/v1/domains", "{\"tenant_id\":\"" + tenant + "\",\"name\":\"tx.clienta.example\",\"setup\":\"txt\"}");
                var lines = new ArrayList<String>(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + SINK));
                domain.path("records").forEach(r -> lines.add(new DnsRecord(RecordPurpose.valueOf(r.path("purpose").asText().toUpperCase(Locale.ROOT)),
                        r.path("type").asText(), r.path("name").asText(), r.path("value").asText(), true, RecordStatus.PENDING, "").zoneLine()));
                knot.publish(lines);
                assertThat(mailroom.post("/v1/domains/" + domain.path("id").asText() + "/verify", "").path("status").asText()).isEqualTo("verified");
                // a test of crash safety, not of warm-up: the new domain gets no daily cap
                var uncapped = mailroom.send("PUT", "/v1/domains/" + domain.path("id").asText() + "/warmup", "{\"enabled\":false}");
                assertThat(uncapped.statusCode()).as(uncapped.body()).isEqualTo(200);
                for (int batch = 0; batch < MESSAGES / 500; batch++) {
                    var messages = new StringBuilder();
                    for (int i = 0; i < 500; i++) {
                        messages.append(i == 0 ? "" : ",").append("{\"from\":\"x@tx.clienta.example\",\"to\":[\"r").append(batch * 500 + i)
                                .append("@inbox.clienta.example\"],\"subject\":\"n\",\"text\":\"hello\"}");
                    }
                    var response = mailroom.send("POST", "/v1/messages/batch", "{\"messages\":[" + messages + "]}");
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                }
            }

            try (var sink = SmtpSink.start(dir, SINK, mxPort)) {
                env.put("MAILROOM_DELIVERY_ENABLED", "true");
                var running = MailroomProcess.start(log, env);
                Await.until("a third of the run delivered", Duration.ofSeconds(120), () -> files(sink) >= MESSAGES / 3);
                running.kill9();
                long atKill = files(sink);

                try (var restarted = MailroomProcess.start(log, env)) {
                    Await.until("every recipient delivered", Duration.ofSeconds(180), () -> unique(sink) == MESSAGES);
                    Thread.sleep(2000); // anything still coming would be a duplicate too
                    var transactions = sink.transactions();
                    var recipients = new HashSet<String>();
                    transactions.forEach(t -> recipients.addAll(t.rcptArgs()));
                    int duplicates = transactions.size() - recipients.size();
                    System.out.printf("delivery crash test: %d messages acknowledged; kill -9 after %d reached the sink; after restart "
                            + "all %d recipients delivered, %d duplicates (in flight at the kill)%n", MESSAGES, atKill, recipients.size(), duplicates);
                    assertThat(recipients).hasSize(MESSAGES);
                    assertThat(duplicates).as("only what was in flight at the kill is sent twice").isLessThanOrEqualTo(50);
                    var delivered = restarted.get("/v1/events?type=message.delivered&limit=1");
                    assertThat(delivered.path("data")).isNotEmpty();
                }
            }
        }
    }

    private static long files(SmtpSink sink) {
        try {
            return sink.files();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int unique(SmtpSink sink) {
        try {
            if (sink.files() < MESSAGES) {
                return 0;
            }
            var recipients = new HashSet<String>();
            sink.transactions().forEach(t -> recipients.addAll(t.rcptArgs()));
            return recipients.size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

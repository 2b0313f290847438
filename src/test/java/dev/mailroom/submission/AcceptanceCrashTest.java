package dev.mailroom.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.app.MailroomProcess;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a Mailroom process while 8 clients send through the API and 8 over SMTP: after a
 * restart every message that got a 202 or 250 is in the spool and in the message index, and
 * nothing of the refused ones (From an unverified domain) is in the spool.
 */
class AcceptanceCrashTest {
    private static final String KEY = "crash-test-admin-key-0123456789";
    private static final int ACKS_BEFORE_KILL = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesSurviveKillNineAndRefusedOnesLeaveNothing() throws Exception {
        try (var knot = KnotServer.start(Files.createDirectories(dir.resolve("knot")), SendingFixture.ZONE, List.of())) {
            int port = MailroomProcess.freePort();
            var data = dir.resolve("data");
            var env = Map.of("MAILROOM_DATA_DIR", data.toString(), "MAILROOM_HTTP_LISTEN", "127.0.0.1:" + port, "MAILROOM_ADMIN_KEY", KEY,
                    "MAILROOM_DNS_SERVERS", "127.0.0.1:" + knot.address().getPort(), "MAILROOM_HOSTNAME", "mx.test.example",
                    "MAILROOM_SMTP_SUBMISSION_LISTEN", "127.0.0.1:0", "MAILROOM_DELIVERY_ENABLED", "false");
            var log = dir.resolve("server.log");
            var process = MailroomProcess.start(log, env);
            var tenant = process.post("/v1/tenants", "{\"name\":\"Crash\"}").path("id").asText();
            var domain = process.post("/v1/domains", "{\"tenant_id\":\"" + tenant + "\",\"name\":\"tx.clienta.example\",\"setup\":\"txt\"}");
            var lines = new ArrayList<String>();
            domain.path("records").forEach(r -> lines.add(new DnsRecord(RecordPurpose.valueOf(r.path("purpose").asText().toUpperCase(Locale.ROOT)),
                    r.path("type").asText(), r.path("name").asText(), r.path("value").asText(), true, RecordStatus.PENDING, "").zoneLine()));
            knot.publish(lines);
            assertThat(process.post("/v1/domains/" + domain.path("id").asText() + "/verify", "").path("status").asText()).isEqualTo("verified");
            process.post("/v1/domains", "{\"tenant_id\":\"" + tenant + "\",\"name\":\"new.clienta.example\",\"setup\":\"txt\"}");
            process.post("/v1/smtp-credentials", "{\"tenant_id\":\"" + tenant + "\",\"networks\":[\"127.0.0.0/8\"]}");
            int smtpPort = smtpPort();

            Set<String> acked = ConcurrentHashMap.newKeySet();
            var ackedOverSmtp = new AtomicInteger();
            var refused = new AtomicInteger();
            var sent = new AtomicInteger();
            try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 8; c++) {
                    clients.submit(() -> smtpClient(smtpPort, sent, acked, ackedOverSmtp, refused));
                }
                for (int c = 0; c < 8; c++) {
                    clients.submit(() -> {
                        while (true) {
                            int n = sent.incrementAndGet();
                            var from = n % 10 == 0 ? "x@new.clienta.example" : "x@tx.clienta.example";
                            var body = "{\"from\":\"" + from + "\",\"to\":[\"r" + n + "@example.net\"],\"subject\":\"n" + n + "\",\"text\":\"hello\"}";
                            try {
                                var response = process.send("POST", "/v1/messages", body);
                                if (response.statusCode() == 202) {
                                    acked.add(JSON.readTree(response.body()).path("id").asText());
                                } else if (response.statusCode() == 422) {
                                    refused.incrementAndGet();
                                }
                            } catch (Exception e) {
                                return null; // the server is gone
                            }
                        }
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acked.size() < ACKS_BEFORE_KILL && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                process.kill9();
            }
            assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            assertThat(ackedOverSmtp.get()).isPositive();
            assertThat(refused.get()).isPositive();

            int indexed = 0;
            try (var restarted = MailroomProcess.start(log, env)) {
                for (var id : acked) {
                    var response = restarted.send("GET", "/v1/messages/" + id, null);
                    assertThat(response.statusCode()).as(id + " was acknowledged; the index after the restart must know it").isEqualTo(200);
                    indexed++;
                }
            }

            try (var spool = Spool.open(data.resolve("spool"))) {
                var spooled = new ArrayList<String>();
                var fromRefused = new AtomicInteger();
                spool.acceptedSince("msg_", message -> {
                    spooled.add(message.id());
                    if (new String(message.body(), StandardCharsets.UTF_8).contains("@new.clienta.example")) {
                        fromRefused.incrementAndGet();
                    }
                });
                assertThat(spooled).containsAll(acked);
                assertThat(fromRefused.get()).isZero();
                System.out.printf("acceptance crash test: %d messages sent (HTTP and SMTP), %d acknowledged (%d by 250, the rest by 202) "
                        + "before kill -9, %d refused (422 / 550); "
                        + "after restart %d of the acknowledged in the spool and %d in the index, %d spooled in all "
                        + "(the rest were written but not yet answered), 0 from refused requests%n",
                        sent.get(), acked.size(), ackedOverSmtp.get(), refused.get(), acked.stream().filter(spooled::contains).count(), indexed, spooled.size());
            }
        }
    }

    /** The submission port the server logged (it listens on a free port). */
    private int smtpPort() throws Exception {
        var matcher = java.util.regex.Pattern.compile("SMTP submission on 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(dir.resolve("server.log")));
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** Sends over plain SMTP from a network credential's network until the server dies; 250s carry the message id. */
    private static Object smtpClient(int port, AtomicInteger sent, Set<String> acked, AtomicInteger ackedOverSmtp, AtomicInteger refused) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            in.readLine();
            out.write("EHLO crash.clienta.example\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && line.startsWith("250-")) {
                // capabilities
            }
            var queued = java.util.regex.Pattern.compile("^250 2\\.0\\.0 .*queued as (msg_[0-9a-z]+)");
            while (true) {
                int n = sent.incrementAndGet();
                var from = n % 10 == 0 ? "x@new.clienta.example" : "x@tx.clienta.example";
                out.write(("MAIL FROM:<" + from + ">\r\nRCPT TO:<s" + n + "@example.net>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
                in.readLine();
                in.readLine();
                in.readLine();
                out.write(("From: <" + from + ">\r\nSubject: n" + n + "\r\n\r\nhello\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                var reply = in.readLine();
                if (reply == null) {
                    return null;
                }
                var matcher = queued.matcher(reply);
                if (matcher.find()) {
                    acked.add(matcher.group(1));
                    ackedOverSmtp.incrementAndGet();
                } else if (reply.startsWith("550")) {
                    refused.incrementAndGet();
                }
            }
        } catch (java.io.IOException e) {
            return null; // the server is gone
        }
    }
}

package dev.mailroom.bench;

import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Messages delivered per second from a backlog: a tenant queues MESSAGES small messages (batch API,
 * DKIM-signed, synced) to one receiving site, Postfix's smtp-sink on 127.0.0.36, with delivery off;
 * Mailroom restarts with delivery on and CONNECTIONS connections to the site, and the rate is read
 * from mailroom_delivery_attempts_total. Usage: DeliveryLoad MESSAGES CONNECTIONS (see bench/deliver.sh).
 */
public final class DeliveryLoad {
    private static final String SINK = "127.0.0.36";
    private static final Pattern DELIVERED = Pattern.compile("mailroom_delivery_attempts_total\\{outcome=\"delivered\"} ([0-9.E]+)");

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        var dir = Files.createTempDirectory("mailroom-bench");
        int port = SmtpSink.freePort(SINK);
        var env = Map.of("MAILROOM_DELIVERY_ENABLED", "false", "MAILROOM_DELIVERY_MX_PORT", Integer.toString(port),
                "MAILROOM_DELIVERY_MAX_CONNECTIONS", Integer.toString(connections), "MAILROOM_DELIVERY_MESSAGES_PER_CONNECTION", "1000",
                "MAILROOM_DELIVERY_TENANT_WINDOW", "5000");
        var sinkDir = Files.createDirectories(dir.resolve("sink"));
        var sink = new ProcessBuilder("/usr/sbin/smtp-sink", "-u", "postfix", SINK + ":" + port, "1000").redirectErrorStream(true)
                .redirectOutput(sinkDir.resolve("log").toFile()).start();
        try (var fixture = SendingFixture.start(dir, null, 0, env)) {
            var tenant = fixture.createTenant("Bench");
            var domain = fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
            // the throughput of delivery, not of a new domain's warm-up: no daily cap
            fixture.server().send("PUT", "/v1/domains/" + domain + "/warmup", dev.mailroom.api.TestServer.ADMIN_KEY, "{\"enabled\":false}");
            fixture.publishZoneLines(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + SINK));
            var key = fixture.key(tenant, "\"send\"", null);
            var server = fixture.server();
            long started = System.nanoTime();
            for (int batch = 0; batch < messages / 500; batch++) {
                var body = new StringBuilder("{\"messages\":[");
                for (int i = 0; i < 500; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"from\":\"shop@tx.clienta.example\",\"to\":[\"r").append(batch * 500 + i)
                            .append("@inbox.clienta.example\"],\"subject\":\"Order\",\"text\":\"Your order has shipped.\"}");
                }
                var response = server.post("/v1/messages/batch", key, body.append("]}").toString());
                if (response.status() != 202) {
                    throw new IllegalStateException(response.body());
                }
            }
            double accepted = (System.nanoTime() - started) / 1e9;
            // the backlog is in the spool: delivery starts now
            server.restart(Map.of("MAILROOM_DELIVERY_ENABLED", "true"));
            long delivering = System.nanoTime();
            // the steady part: from a tenth to nine tenths of the run
            long t1 = waitFor(server, messages / 10);
            long t2 = waitFor(server, messages * 9 / 10);
            waitFor(server, messages);
            double total = (System.nanoTime() - delivering) / 1e9;
            System.out.printf("deliver %d messages, %d connections: accepted in %.1f s; then delivered %.0f msg/s (steady, 10%%-90%%), all in %.1f s%n",
                    messages, connections, accepted, messages * 0.8 / ((t2 - t1) / 1e9), total);
        } finally {
            sink.destroy();
        }
    }

    private static long waitFor(dev.mailroom.api.TestServer server, int count) throws InterruptedException {
        while (true) {
            var matcher = DELIVERED.matcher(server.get("/metrics", null).body());
            if (matcher.find() && Double.parseDouble(matcher.group(1)) >= count) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
    }
}

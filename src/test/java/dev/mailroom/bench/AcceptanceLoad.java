package dev.mailroom.bench;

import dev.mailroom.api.TestServer;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Accepted messages per second and acceptance latency, over SMTP (STARTTLS + AUTH once per
 * connection, then one message after another, pipelined MAIL/RCPT/DATA) or over HTTP
 * (POST /v1/messages), against an in-process Mailroom with a verified domain (knotd as its DNS),
 * 4 KB messages signed with RSA-2048 and Ed25519 and synced to the spool before each answer.
 * Usage: AcceptanceLoad smtp|http CONNECTIONS SECONDS [h2|postgres] (see bench/accept.sh); postgres
 * uses a fresh schema in MAILROOM_TEST_POSTGRES_URL.
 */
public final class AcceptanceLoad {
    private static final String FROM = "shop@tx.clienta.example";

    public static void main(String[] args) throws Exception {
        var mode = args[0];
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        var dir = Files.createTempDirectory("mailroom-bench");
        var database = args.length > 3 && args[3].equals("postgres") ? TestDatabase.POSTGRES.create() : null;
        try (var fixture = SendingFixture.start(dir, database, 0, Map.of("MAILROOM_SMTP_SUBMISSION_MAX_CONNECTIONS", "1000"))) {
            var tenant = fixture.createTenant("Bench");
            fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
            var server = fixture.server();
            var credential = server.post("/v1/smtp-credentials", TestServer.ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\"}");
            var key = fixture.key(tenant, "\"send\"", null);
            Worker worker = mode.equals("smtp")
                    ? new SmtpWorker(server.mailroom().smtpPort(), credential.text("username"), credential.text("password"))
                    : new HttpWorker(server.mailroom().httpPort(), key);
            run(worker, connections, 15, null); // warm-up: the JIT compiles the hot paths
            var latencies = new ArrayList<long[]>();
            long started = System.nanoTime();
            long count = run(worker, connections, seconds, latencies);
            double elapsed = (System.nanoTime() - started) / 1e9;
            var all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
            System.out.printf("%s (%s): %d connections, %d messages in %.1f s = %.0f messages/s; latency p50 %.2f ms, p99 %.2f ms%n", mode,
                    database == null ? "H2" : "PostgreSQL", connections, count, elapsed, count / elapsed, all[all.length / 2] / 1e6,
                    all[(int) (all.length * 0.99)] / 1e6);
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    interface Worker {
        /** One connection's loop: sends until {@code stop}, records each latency (ns) into {@code sink}; returns how many were accepted. */
        int loop(AtomicBoolean stop, long[] sink) throws Exception;
    }

    private static long run(Worker worker, int connections, int seconds, List<long[]> latencies) throws Exception {
        var stop = new AtomicBoolean();
        var futures = new ArrayList<java.util.concurrent.Future<Integer>>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                var sink = new long[200_000];
                if (latencies != null) {
                    latencies.add(sink);
                }
                futures.add(executor.submit(() -> worker.loop(stop, sink)));
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            long total = 0;
            for (var future : futures) {
                total += future.get();
            }
            return total;
        }
    }

    static String body() {
        var line = "Your order has shipped. Track it any time from your account page; thank you for shopping with us.\r\n";
        return line.repeat(4000 / line.length());
    }

    private record HttpWorker(int port, String key) implements Worker {
        @Override
        public int loop(AtomicBoolean stop, long[] sink) throws Exception {
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var json = "{\"from\":\"" + FROM + "\",\"to\":[\"ann@example.net\"],\"subject\":\"Your order\",\"text\":"
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body()) + "}";
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
            int n = 0;
            while (!stop.get() && n < sink.length) {
                long start = System.nanoTime();
                var response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException(response.body());
                }
                sink[n++] = System.nanoTime() - start;
            }
            return n;
        }
    }

    private record SmtpWorker(int port, String username, String password) implements Worker {
        @Override
        public int loop(AtomicBoolean stop, long[] sink) throws Exception {
            var plain = new Socket("127.0.0.1", port);
            var in = new BufferedInputStream(plain.getInputStream());
            var out = plain.getOutputStream();
            reply(in);
            command(out, in, "EHLO bench.clienta.example");
            command(out, in, "STARTTLS");
            var tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            tls.startHandshake();
            in = new BufferedInputStream(tls.getInputStream());
            out = tls.getOutputStream();
            command(out, in, "EHLO bench.clienta.example");
            var auth = Base64.getEncoder().encodeToString(("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8));
            expect(command(out, in, "AUTH PLAIN " + auth), "235");
            var message = ("From: Shop <" + FROM + ">\r\nTo: ann@example.net\r\nSubject: Your order\r\n\r\n" + body() + ".\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            var envelope = "MAIL FROM:<" + FROM + ">\r\nRCPT TO:<ann@example.net>\r\nDATA\r\n";
            int n = 0;
            while (!stop.get() && n < sink.length) {
                long start = System.nanoTime();
                out.write(envelope.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(reply(in), "250");
                expect(reply(in), "250");
                expect(reply(in), "354");
                out.write(message);
                out.flush();
                expect(reply(in), "250");
                sink[n++] = System.nanoTime() - start;
            }
            command(out, in, "QUIT");
            tls.close();
            return n;
        }

        private static String command(OutputStream out, InputStream in, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }

        private static void expect(String reply, String code) {
            if (!reply.startsWith(code)) {
                throw new IllegalStateException("expected " + code + ", got " + reply);
            }
        }

        /** Reads one (possibly multi-line) reply; returns its last line. */
        private static String reply(InputStream in) throws IOException {
            while (true) {
                var line = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        throw new IOException("connection closed");
                    }
                    line.append((char) c);
                }
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return line.toString().strip();
                }
            }
        }

        private static SSLContext trustAll() throws Exception {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String type) {}

                public void checkServerTrusted(X509Certificate[] chain, String type) {}

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        }
    }
}

package dev.mailroom.events.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on 127.0.0.1 for tests. It checks every request's signature as a receiver
 * following Standard Webhooks would (written here from the specification, not with Mailroom's
 * code), and answers each event's n-th request with the status {@code answer} gives for n.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    private volatile String secret;
    private volatile IntUnaryOperator answer = attempt -> 204;
    private volatile Duration delay = Duration.ZERO;

    /** What arrived: the headers that matter, the body, whether the signature verified, and the answer given. */
    public record Request(String id, long timestamp, boolean signatureValid, JsonNode body, int status) {
        public String type() {
            return body.path("type").asText();
        }
    }

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            var raw = exchange.getRequestBody().readAllBytes();
            var id = exchange.getRequestHeaders().getFirst("webhook-id");
            var timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            var signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = answer.applyAsInt(tries.computeIfAbsent(String.valueOf(id), key -> new AtomicInteger()).incrementAndGet());
            requests.add(new Request(id, Long.parseLong(timestamp), verifies(id, timestamp, signatures, raw), JSON.readTree(raw), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The endpoint's secret, as creating it answered. */
    public WebhookReceiver secret(String secret) {
        this.secret = secret;
        return this;
    }

    /** The status for an event's n-th request (n from 1). */
    public WebhookReceiver answer(IntUnaryOperator byAttempt) {
        this.answer = byAttempt;
        return this;
    }

    /** Answers only after {@code delay}. */
    public WebhookReceiver delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests answered with 2xx: the events delivered, by webhook-id, as often as they were. */
    public List<String> deliveredIds() {
        var ids = new ArrayList<String>();
        requests.stream().filter(request -> request.status() / 100 == 2).forEach(request -> ids.add(request.id()));
        return ids;
    }

    /** Standard Webhooks: HMAC-SHA256 with the base64-decoded secret over id.timestamp.body; any of the space-separated v1 signatures may match. */
    private boolean verifies(String id, String timestamp, String header, byte[] body) {
        if (secret == null || id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            var expected = mac.doFinal(body);
            for (var signature : header.split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.mailroom.events.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.Event;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts an event to an endpoint as Standard Webhooks describe: body {@code {type, timestamp, data}}
 * (the same bytes at every attempt), headers {@code webhook-id} (the event id, so receivers can
 * drop repeats), {@code webhook-timestamp} (the attempt's time, which receivers check for
 * freshness) and {@code webhook-signature}. Redirects are not followed: a 3xx is a failure, and
 * cannot lead a request to a destination that was not checked.
 */
final class WebhookSender implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Destinations destinations;
    private final Duration timeout;
    private final Clock clock;

    /** @param timeout for the whole attempt, from connecting to the end of the answer */
    WebhookSender(Destinations destinations, Duration timeout, Clock clock) {
        this.destinations = destinations;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                // HTTP/1.1 everywhere: an h2c upgrade offer on plain http trips up some receivers
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    Outcome send(Target target, Event event) throws InterruptedException {
        long start = System.nanoTime();
        var url = URI.create(target.webhook().url());
        var refusal = destinations.refusal(url);
        if (refusal.isPresent()) {
            return new Outcome.Unreached("refused: " + refusal.get(), Duration.ofNanos(System.nanoTime() - start));
        }
        var body = body(event);
        long timestamp = clock.instant().getEpochSecond();
        var request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "Mailroom-Webhooks/1")
                .header("webhook-id", event.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Signatures.sign(target.secret(), event.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        var exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // the request timeout ends at the answer's headers; this deadline also covers a body that trickles
            var response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Outcome.Answered(response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return timedOut(start);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return timedOut(start);
            }
            return new Outcome.Unreached(describe(e.getCause(), url), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Waits for requests under way (the dispatcher has ended its sends by now) and releases the client. */
    @Override
    public void close() {
        http.close();
    }

    /** The client's connection failures carry no message of their own. */
    private static String describe(Throwable failure, URI url) {
        if (failure instanceof ConnectException) {
            int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            return "could not connect to " + url.getHost() + ":" + port + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    private Outcome timedOut(long start) {
        return new Outcome.Unreached("no answer within " + timeout.toMillis() + " ms", Duration.ofNanos(System.nanoTime() - start));
    }

    /** The event as posted; {@code data} also names the tenant, which an agency endpoint needs to tell events apart. */
    static byte[] body(Event event) {
        var data = new LinkedHashMap<String, Object>();
        data.put("tenant_id", event.tenantId());
        data.putAll(event.data());
        var body = new LinkedHashMap<String, Object>();
        body.put("type", event.type());
        body.put("timestamp", event.createdAt().toString());
        body.put("data", data);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " does not serialise", e);
        }
    }
}

package dev.mailroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.app.ConfigLoader;
import dev.mailroom.app.Mailroom;
import dev.mailroom.app.MailroomConfig;
import dev.mailroom.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A Mailroom started in-process on a free port, with a known admin key, and an HTTP client for it. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> env;
    private MailroomConfig config;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Clock clock;
    private Mailroom mailroom;

    private TestServer(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
        this.config = ConfigLoader.load(null, env);
    }

    /** Starts on {@code dataDir} with the database given (null: the embedded H2 file in dataDir). */
    public static TestServer start(Path dataDir, TestDatabase.Instance database, Map<String, String> extraEnv) {
        return start(dataDir, database, extraEnv, Clock.systemUTC());
    }

    /** As above, on a clock the test may move (schedules, windows, days). */
    public static TestServer start(Path dataDir, TestDatabase.Instance database, Map<String, String> extraEnv, Clock clock) {
        var env = new HashMap<String, String>();
        env.put("MAILROOM_DATA_DIR", dataDir.toString());
        env.put("MAILROOM_HTTP_LISTEN", "127.0.0.1:0");
        env.put("MAILROOM_SMTP_SUBMISSION_LISTEN", "127.0.0.1:0");
        env.put("MAILROOM_SMTP_INBOUND_LISTEN", "127.0.0.1:0");
        env.put("MAILROOM_HOSTNAME", "mx.test.example");
        // tests never ask resolvers off this machine: nothing listens here, so lookups fail fast
        env.put("MAILROOM_DNS_SERVERS", "127.0.0.1:9");
        env.put("MAILROOM_DNS_TIMEOUT", "200ms");
        if (database != null) {
            env.put("MAILROOM_DATABASE_URL", database.url());
        }
        env.putIfAbsent("MAILROOM_ADMIN_KEY", ADMIN_KEY);
        // tests of acceptance see what they accepted stay queued; delivery tests turn it on
        env.put("MAILROOM_DELIVERY_ENABLED", "false");
        env.putAll(extraEnv);
        env.values().removeIf(String::isEmpty);
        var server = new TestServer(env, clock);
        server.restart();
        return server;
    }

    public static TestServer start(Path dataDir, TestDatabase.Instance database) {
        return start(dataDir, database, Map.of());
    }

    /** Stops (if running) and starts again on the same data, as after a process restart. */
    public void restart() {
        if (mailroom != null) {
            mailroom.close();
        }
        mailroom = Mailroom.start(config, clock, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    /** Restarts with some configuration variables changed (e.g. delivery turned on after a backlog was accepted). */
    public void restart(Map<String, String> changes) {
        env.putAll(changes);
        config = ConfigLoader.load(null, env);
        restart();
    }

    public Mailroom mailroom() {
        return mailroom;
    }

    /** What Mailroom printed to its console (a generated admin key, once). */
    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    public record Response(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String text(String field) {
            return json().path(field).asText();
        }
    }

    public Response get(String path, String key) {
        return send("GET", path, key, null);
    }

    public Response post(String path, String key, String body) {
        return send("POST", path, key, body);
    }

    public Response send(String method, String path, String key, String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mailroom.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (mailroom != null) {
            mailroom.close();
        }
    }
}

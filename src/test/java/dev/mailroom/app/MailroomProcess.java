package dev.mailroom.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code mailroom serve} in a process of its own, for tests that kill it with SIGKILL: started with
 * the given environment on a free HTTP port, its output in {@code log}, talked to over the API.
 */
public final class MailroomProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final String base;
    private final String key;

    private MailroomProcess(Process process, String base, String key) {
        this.process = process;
        this.base = base;
        this.key = key;
    }

    /** A free port for {@code MAILROOM_HTTP_LISTEN}, to be kept across restarts. */
    public static int freePort() throws java.io.IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts Mailroom and waits for /healthz; {@code env} must hold MAILROOM_HTTP_LISTEN=127.0.0.1:port and MAILROOM_ADMIN_KEY. */
    public static MailroomProcess start(Path log, Map<String, String> env) throws Exception {
        var java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("MAILROOM_SMTP_INBOUND_LISTEN", "127.0.0.1:0");
        var process = builder.start();
        var started = new MailroomProcess(process, "http://" + env.get("MAILROOM_HTTP_LISTEN"), env.get("MAILROOM_ADMIN_KEY"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(started.base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return started;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
        }
        process.destroyForcibly();
        throw new AssertionError("Mailroom did not start: " + Files.readString(log));
    }

    public String base() {
        return base;
    }

    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs and expects a 2xx answer. */
    public JsonNode post(String path, String body) throws Exception {
        var response = send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    public JsonNode get(String path) throws Exception {
        var response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM kill. */
    public void kill9() throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** A normal stop (SIGTERM), waiting for it. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

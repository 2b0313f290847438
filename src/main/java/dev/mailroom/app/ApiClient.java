package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** The CLI's way to a running server: JSON over the REST API, with problem documents turned into messages. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final String key;

    ApiClient(String baseUrl, String key) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.key = key;
    }

    /** A request the server refused, or that could not reach it; the message is for the user. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode post(String path, Object body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        if (key == null || key.isBlank()) {
            throw new Failure("no API key: pass --key or set MAILROOM_API_KEY");
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json");
    }

    /**
     * Streams the answer to a GET into {@code out}: it is written to {@code out}.part and moved into
     * place only when whole, so a failure leaves no half file under the name asked for.
     */
    void download(String path, Path out) {
        var partial = out.resolveSibling(out.getFileName() + ".part");
        var response = exchange(request(path).GET(), HttpResponse.BodyHandlers.ofFile(partial));
        try {
            if (response.statusCode() >= 400) {
                var body = Files.readString(partial);
                Files.delete(partial);
                throw refusal(response.statusCode(), parse(response.statusCode(), body));
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new Failure("cannot write " + out + ": " + e.getMessage());
        }
    }

    private JsonNode send(HttpRequest.Builder builder) {
        var response = exchange(builder, HttpResponse.BodyHandlers.ofString());
        var body = parse(response.statusCode(), response.body());
        if (response.statusCode() >= 400) {
            throw refusal(response.statusCode(), body);
        }
        return body;
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(builder.build(), handler);
        } catch (ConnectException e) {
            throw new Failure("cannot reach Mailroom at " + baseUrl + ": is `./mailroom serve` running? (--url to point elsewhere)");
        } catch (IOException e) {
            throw new Failure("request to " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private JsonNode parse(int status, String text) {
        try {
            return text.isEmpty() ? json.nullNode() : json.readTree(text);
        } catch (IOException e) {
            throw new Failure("HTTP " + status + " with a body that is not JSON");
        }
    }

    private static Failure refusal(int status, JsonNode problem) {
        var message = new StringBuilder("HTTP " + status + ": " + problem.path("detail").asText(problem.path("title").asText()));
        problem.path("errors").forEach(error -> message.append("\n  ")
                .append(error.path("field").asText()).append(": ").append(error.path("message").asText()));
        return new Failure(message.toString());
    }
}

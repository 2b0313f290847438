package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private JsonNode send(HttpRequest.Builder builder) {
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure("cannot reach Mailroom at " + baseUrl + ": is `./mailroom serve` running? (--url to point elsewhere)");
        } catch (IOException e) {
            throw new Failure("request to " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new Failure("HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            var message = new StringBuilder("HTTP " + response.statusCode() + ": " + body.path("detail").asText(body.path("title").asText()));
            body.path("errors").forEach(error -> message.append("\n  ")
                    .append(error.path("field").asText()).append(": ").append(error.path("message").asText()));
            throw new Failure(message.toString());
        }
        return body;
    }
}

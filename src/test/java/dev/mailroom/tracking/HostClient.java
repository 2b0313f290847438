package dev.mailroom.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP requests with a Host header of the test's choice (java.net.http will not send one), as
 * mail programs reach a client's {@code t.} host through its CNAME. HTTP/1.0: one request per
 * connection, the answer ends where the connection does.
 */
final class HostClient {
    private final int port;

    HostClient(int port) {
        this.port = port;
    }

    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Answer get(String path, String host, String userAgent) {
        return send("GET", path, host, userAgent, null, null);
    }

    Answer post(String path, String host, String contentType, String body) {
        return send("POST", path, host, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", contentType, body);
    }

    Answer send(String method, String path, String host, String userAgent, String contentType, String body) {
        var bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        var request = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: " + host + "\r\n");
        if (userAgent != null) {
            request.append("User-Agent: ").append(userAgent).append("\r\n");
        }
        if (contentType != null) {
            request.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("\r\n");
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(byte[] raw) {
        int end = 0;
        while (!(raw[end] == '\r' && raw[end + 1] == '\n' && raw[end + 2] == '\r' && raw[end + 3] == '\n')) {
            end++;
        }
        var lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        var headers = new HashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        var body = new ByteArrayOutputStream();
        body.write(raw, end + 4, raw.length - end - 4);
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body.toByteArray());
    }
}

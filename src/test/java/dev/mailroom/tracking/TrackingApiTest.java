package dev.mailroom.tracking;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.message.TrackingToken.Target;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clicks, opens and unsubscribes over HTTP, with the URLs taken from the spooled message as
 * recipients get them, arriving on the client's {@code t.} host; on H2 and PostgreSQL.
 */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class TrackingApiTest {
    private static final String HOST = "t.news.clienta.example";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern TRACKED = Pattern.compile("https://t\\.news\\.clienta\\.example(/[cou]/[0-9a-z_-]+)");

    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private HostClient client;
    private String news;
    private String key;

    @BeforeEach
    void start() throws Exception {
        database = kind.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of());
        server = fixture.server();
        client = new HostClient(server.mailroom().httpPort());
        var tenant = fixture.createTenant("Client A");
        news = fixture.verifiedDomain(tenant, "news.clienta.example", "marketing");
        fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
        fixture.verifiedDomain(fixture.createTenant("Client B"), "b.clienta.example", "marketing");
        key = fixture.key(tenant, "\"send\",\"read\",\"manage\"", null);
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A sent message: its id and the paths of its tracking URLs (clicks in link order). */
    private record Sent(String id, List<String> clicks, String open, String unsubscribe) {}

    private Sent send(String from, List<String> to, String html) {
        var body = """
                {"from": "%s", "to": [%s], "subject": "News", "html": "%s", "track_opens": true, "track_clicks": true}
                """.formatted(from, String.join(",", to.stream().map(t -> "\"" + t + "\"").toList()), html.replace("\"", "\\\""));
        var response = server.post("/v1/messages", key, body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var id = response.text("id");
        var text = new String(server.mailroom().spool().read(id).orElseThrow().body(), StandardCharsets.UTF_8);
        // the HTML part is quoted-printable: soft line breaks and =XX escapes undone
        var decoded = Pattern.compile("=([0-9A-F]{2})").matcher(text.replace("=\r\n", ""))
                .replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        var clicks = new ArrayList<String>();
        String open = null;
        String unsubscribe = null;
        var matcher = TRACKED.matcher(decoded);
        while (matcher.find()) {
            var path = matcher.group(1);
            switch (path.charAt(1)) {
                case 'c' -> clicks.add(path);
                case 'o' -> open = path;
                default -> unsubscribe = path;
            }
        }
        return new Sent(id, clicks, open, unsubscribe);
    }

    private Sent send(String html) {
        return send("news@news.clienta.example", List.of("ann@example.net"), html);
    }

    private List<JsonNode> events(String messageId, String type) {
        var response = server.get("/v1/events?message_id=" + messageId + "&type=" + type, ADMIN_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var list = new ArrayList<JsonNode>();
        response.json().path("data").forEach(event -> list.add(event.path("data")));
        return list;
    }

    private String statusOfNextSend(String from) {
        var response = server.post("/v1/messages", key, """
                {"from": "%s", "to": ["ann@example.net"], "subject": "Again", "text": "Hello"}""".formatted(from));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().path("recipients").get(0).path("status").asText();
    }

    @Test
    void aClickRedirectsToTheOriginalUrlAndIsRecorded() throws Exception {
        var accepted = Instant.now();
        var sent = send("<p><a href='https://clienta.example/offer?id=7'>offer</a> <a href='https://clienta.example/grüße?q=a b'>hi</a></p>");
        assertThat(sent.clicks()).hasSize(2);

        var first = client.get(sent.clicks().get(0), HOST, BROWSER);
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).isEqualTo("https://clienta.example/offer?id=7");
        // what a Location header cannot carry is percent-encoded as UTF-8, as a browser would send it
        assertThat(client.get(sent.clicks().get(1), HOST, BROWSER).header("Location"))
                .isEqualTo("https://clienta.example/gr%C3%BC%C3%9Fe?q=a%20b");
        // within 2 s of acceptance (and so of any delivery) no person has clicked yet
        var clicked = events(sent.id(), "message.clicked");
        assertThat(clicked).hasSize(2);
        assertThat(clicked.get(0).path("machine").asBoolean()).isTrue();
        assertThat(clicked.get(0).path("machine_reason").asText()).isEqualTo("within_2s_of_delivery");

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), accepted.plusMillis(2100)).toMillis()));
        // the platform's track. host serves every client's tokens; a port in the Host header is no matter
        assertThat(client.get(sent.clicks().get(0), "track.mailroom.localhost:8025", BROWSER).status()).isEqualTo(302);
        var later = events(sent.id(), "message.clicked").get(2);
        assertThat(later.path("message_id").asText()).isEqualTo(sent.id());
        assertThat(later.path("email").asText()).isEqualTo("ann@example.net");
        assertThat(later.path("domain_id").asText()).isEqualTo(news);
        assertThat(later.path("url").asText()).isEqualTo("https://clienta.example/offer?id=7");
        assertThat(later.path("user_agent").asText()).isEqualTo(BROWSER);
        assertThat(later.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(later.path("machine").asBoolean()).isFalse();
        assertThat(later.has("machine_reason")).isFalse();
    }

    @Test
    void aTokenThatDoesNotVouchForTheUrlHereIs404() {
        var sent = send("<a href='https://clienta.example/offer'>offer</a>");
        var click = sent.clicks().get(0);
        var tampered = click.substring(0, click.length() - 1) + (click.endsWith("a") ? "b" : "a");
        assertThat(client.get(tampered, HOST, BROWSER).status()).isEqualTo(404);
        // a click token is no open or unsubscribe token, nor the other way round
        assertThat(client.get(sent.unsubscribe().replace("/u/", "/c/"), HOST, BROWSER).status()).isEqualTo(404);

        // a token made with the right key, for a link the message does not have
        var beyond = server.mailroom().trackingTokens().encode(Target.click(sent.id(), OptionalInt.of(0), 1));
        assertThat(client.get("/c/" + beyond, HOST, BROWSER).status()).isEqualTo(404);

        // another client's tracking host, and a host that is no one's
        var foreign = client.get(click, "t.b.clienta.example", BROWSER);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.header("Location")).isNull();
        assertThat(foreign.header("Content-Type")).startsWith("text/html");
        assertThat(client.get(click, "evil.example", BROWSER).status()).isEqualTo(404);
        assertThat(events(sent.id(), "message.clicked")).isEmpty();
    }

    @Test
    void theOpenPixelIsAGifAndRecordsTheOpen() {
        var sent = send("<p>Hello</p>");
        var pixel = client.get(sent.open(), HOST, BROWSER);
        assertThat(pixel.status()).isEqualTo(200);
        assertThat(pixel.header("Content-Type")).isEqualTo("image/gif");
        assertThat(pixel.header("Cache-Control")).contains("no-store").contains("no-cache");
        assertThat(new String(pixel.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        var opened = events(sent.id(), "message.opened");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).path("email").asText()).isEqualTo("ann@example.net");
        assertThat(opened.get(0).path("user_agent").asText()).isEqualTo(BROWSER);
        assertThat(opened.get(0).has("url")).isFalse();

        // a bad token or a foreign host still gets the image, and counts for nothing
        assertThat(client.get(sent.open() + "x", HOST, BROWSER).body()).isEqualTo(pixel.body());
        assertThat(client.get(sent.open(), "t.b.clienta.example", BROWSER).header("Content-Type")).isEqualTo("image/gif");
        assertThat(events(sent.id(), "message.opened")).hasSize(1);
    }

    @Test
    void anOpenThroughGmailsImageProxyIsMarkedMachine() {
        var sent = send("<p>Hello</p>");
        client.get(sent.open(), HOST, "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)");
        var opened = events(sent.id(), "message.opened").get(0);
        assertThat(opened.path("machine").asBoolean()).isTrue();
        assertThat(opened.path("machine_reason").asText()).isEqualTo("google_image_proxy");
    }

    @Test
    void theUnsubscribePageAsksAndChangesNothing() {
        var sent = send("<p>Hello</p>");
        var page = client.get(sent.unsubscribe(), HOST, BROWSER);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("ann@example.net").contains("news.clienta.example").contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"").doesNotContain("<script");
        // a POST without the one-click body (RFC 8058) is not an unsubscribe either
        assertThat(client.post(sent.unsubscribe(), HOST, FORM, "confirm=yes").status()).isEqualTo(400);

        assertThat(events(sent.id(), "message.unsubscribed")).isEmpty();
        assertThat(server.get("/v1/suppressions?email=ann@example.net", ADMIN_KEY).json().path("data")).isEmpty();
        assertThat(statusOfNextSend("news@news.clienta.example")).isEqualTo("queued");
    }

    @Test
    void oneClickUnsubscribeSuppressesForTheSendingDomainOnce() {
        var sent = send("<p>Hello</p>");
        var done = client.post(sent.unsubscribe(), HOST, FORM, "List-Unsubscribe=One-Click");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.header("Location")).isNull();
        assertThat(done.text()).contains("ann@example.net");
        // again, as a multipart form (RFC 8058 allows both): nothing new
        var boundary = "mailroom-test-boundary";
        var multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--" + boundary + "--\r\n";
        assertThat(client.post(sent.unsubscribe(), HOST, "multipart/form-data; boundary=" + boundary, multipart).status()).isEqualTo(200);

        var unsubscribed = events(sent.id(), "message.unsubscribed");
        assertThat(unsubscribed).hasSize(1);
        assertThat(unsubscribed.get(0).path("email").asText()).isEqualTo("ann@example.net");
        assertThat(unsubscribed.get(0).path("domain_id").asText()).isEqualTo(news);
        var suppressions = server.get("/v1/suppressions?email=ann@example.net", ADMIN_KEY).json().path("data");
        assertThat(suppressions).hasSize(1);
        assertThat(suppressions.get(0).path("reason").asText()).isEqualTo("unsubscribe");
        assertThat(suppressions.get(0).path("domain_id").asText()).isEqualTo(news);

        assertThat(statusOfNextSend("news@news.clienta.example")).isEqualTo("suppressed");
        // leaving the newsletter does not stop the password resets
        assertThat(statusOfNextSend("account@tx.clienta.example")).isEqualTo("queued");
    }

    @Test
    void aMessageToSeveralRecipientsTracksWithoutAddressesAndUnsubscribesNoOne() {
        var sent = send("news@news.clienta.example", List.of("ann@example.net", "bob@example.org"), "<a href='https://clienta.example/'>home</a>");
        assertThat(client.get(sent.clicks().get(0), HOST, BROWSER).status()).isEqualTo(302);
        var clicked = events(sent.id(), "message.clicked").get(0);
        assertThat(clicked.has("email")).isFalse();
        assertThat(clicked.path("message_id").asText()).isEqualTo(sent.id());

        var page = client.get(sent.unsubscribe(), HOST, BROWSER);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("several people").doesNotContain("<form");
        assertThat(client.post(sent.unsubscribe(), HOST, FORM, "List-Unsubscribe=One-Click").status()).isEqualTo(400);
        assertThat(events(sent.id(), "message.unsubscribed")).isEmpty();
        assertThat(server.get("/v1/suppressions", ADMIN_KEY).json().path("data")).isEmpty();
    }
}

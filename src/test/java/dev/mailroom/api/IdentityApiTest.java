package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.smtp.ClientSettings;
import dev.mailroom.smtp.SmtpClient;
import dev.mailroom.smtp.SmtpClientException;
import dev.mailroom.smtp.SmtpReply;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * /v1/identities against a running Mailroom whose DNS is knotd: the agency's house tenant owns
 * mail.clienta.example (identities.from), a small client has no domain, only an address.
 */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class IdentityApiTest {
    private static final String FROM = "verify@mail.clienta.example";
    private static final Pattern CONFIRM_LINK = Pattern.compile("https://t\\.mail\\.clienta\\.example/identities/confirm\\?token=([A-Za-z0-9_-]{43})");

    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private String agency;
    private String shop;
    private String other;
    private String shopKey;
    private String otherKey;

    @BeforeEach
    void start() throws Exception {
        database = kind.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of("MAILROOM_IDENTITIES_FROM", FROM));
        server = fixture.server();
        agency = fixture.createTenant("Agency");
        fixture.verifiedDomain(agency, "mail.clienta.example", "transactional");
        shop = fixture.createTenant("Small shop");
        other = fixture.createTenant("Other client");
        shopKey = fixture.key(shop, "\"send\",\"read\",\"manage\"", null);
        otherKey = fixture.key(other, "\"send\",\"read\",\"manage\"", null);
        fixture.publishZoneLines(List.of(
                "_dmarc.strict IN TXT \"v=DMARC1; p=reject; rua=mailto:d@strict.clienta.example\"",
                "_dmarc.junk IN TXT \"v=DMARC1; p=quarantine\"",
                "_dmarc.relaxed IN TXT \"v=DMARC1; p=none\""));
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

    private TestServer.Response create(String key, String tenant, String email) {
        return server.post("/v1/identities", key, "{\"tenant_id\":\"" + tenant + "\",\"email\":\"" + email + "\"}");
    }

    private static String message(String from) {
        return "{\"from\":\"" + from + "\",\"to\":[\"ann@example.net\"],\"subject\":\"Order 42\",\"text\":\"Shipped.\"}";
    }

    /** DATA's reply to a message from {@code from}, submitted from 127.0.0.1 (covered by a network credential of the shop). */
    private SmtpReply smtp(String from) {
        var message = ("From: " + from + "\r\nTo: ann@example.net\r\nSubject: Order 42\r\n\r\nShipped.\r\n").getBytes(StandardCharsets.US_ASCII);
        try (var client = SmtpClient.open(ClientSettings.defaults("shop.example"), new InetSocketAddress("127.0.0.1",
                server.mailroom().smtpPort()), "mx.test.example")) {
            return client.send(from, List.of("ann@example.net"), message).data();
        } catch (SmtpClientException e) {
            throw new AssertionError(e);
        }
    }

    private List<SpooledMessage> spooledTo(String recipient) {
        var found = new ArrayList<SpooledMessage>();
        server.mailroom().spool().acceptedSince("msg_", m -> {
            if (m.recipients().contains(recipient)) {
                found.add(m);
            }
        });
        return found;
    }

    /** The text of a message with quoted-printable undone, enough to read its link. */
    private static String decoded(SpooledMessage message) {
        var text = new String(message.body(), StandardCharsets.US_ASCII).replace("=\r\n", "");
        return Pattern.compile("=([0-9A-F]{2})").matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }

    private static String headers(SpooledMessage message) {
        var text = new String(message.body(), StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\r\n\r\n"));
    }

    @Test
    void confirmedByTheMailedLinkThenUsableAsFromOnlyByItsTenant() {
        var created = create(shopKey, shop, "Owner@Shop.clienta.example");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var id = created.text("id");
        assertThat(created.text("tenant_id")).isEqualTo(shop);
        assertThat(created.text("email")).isEqualTo("owner@shop.clienta.example");
        assertThat(created.text("status")).isEqualTo("pending");
        assertThat(created.json().path("verified_at").isNull()).isTrue();

        // the confirmation went through normal submission, as the agency's tenant, from identities.from
        var confirmation = spooledTo("owner@shop.clienta.example");
        assertThat(confirmation).hasSize(1);
        assertThat(confirmation.getFirst().tenantId()).isEqualTo(agency);
        assertThat(headers(confirmation.getFirst())).contains("From: " + FROM).contains("d=mail.clienta.example");
        var link = CONFIRM_LINK.matcher(decoded(confirmation.getFirst()));
        assertThat(link.find()).as(decoded(confirmation.getFirst())).isTrue();
        var page = "/identities/confirm?token=" + link.group(1);

        var pending = server.post("/v1/messages", shopKey, message("owner@shop.clienta.example"));
        assertThat(pending.status()).as(pending.body()).isEqualTo(422);
        assertThat(pending.text("type")).endsWith("identity-not-confirmed");
        assertThat(pending.json().path("errors").get(0).path("field").asText()).isEqualTo("from");
        var network = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + shop + "\",\"networks\":[\"127.0.0.1/32\"]}");
        assertThat(network.status()).as(network.body()).isEqualTo(201);
        var refusedBySmtp = smtp("owner@shop.clienta.example");
        assertThat(refusedBySmtp.code()).isEqualTo(550);
        assertThat(refusedBySmtp.enhanced()).isEqualTo("5.7.1");
        assertThat(String.join(" ", refusedBySmtp.lines())).contains("not confirmed");

        // a scanner fetching the link confirms nothing
        var shown = server.get(page, null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.contentType()).startsWith("text/html");
        assertThat(shown.body()).contains("owner@shop.clienta.example").contains("<form method=\"post\">");
        assertThat(server.get("/v1/identities/" + id, shopKey).text("status")).isEqualTo("pending");
        assertThat(server.get("/identities/confirm?token=nope", null).status()).isEqualTo(404);
        assertThat(server.post("/identities/confirm?token=nope", null, null).status()).isEqualTo(404);

        var confirmed = server.post(page, null, null);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("is confirmed");
        var verified = server.get("/v1/identities/" + id, shopKey);
        assertThat(verified.text("status")).isEqualTo("verified");
        assertThat(verified.text("verified_at")).isNotEmpty();

        // mail from the identity: the shop's, signed by and returning to the agency's domain
        var sent = server.post("/v1/messages", shopKey, message("Owner <owner@shop.clienta.example>"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        var spooled = server.mailroom().spool().read(sent.text("id")).orElseThrow();
        assertThat(spooled.tenantId()).isEqualTo(shop);
        assertThat(spooled.returnPathDomain()).isEqualTo("rp.mail.clienta.example");
        assertThat(headers(spooled)).contains("d=mail.clienta.example").contains("From: Owner <owner@shop.clienta.example>");
        assertThat(server.get("/v1/messages/" + sent.text("id"), shopKey).text("tenant_id")).isEqualTo(shop);
        assertThat(smtp("owner@shop.clienta.example").code()).isEqualTo(250);
        var marketing = server.post("/v1/messages", shopKey, message("owner@shop.clienta.example").replace("}", ",\"stream\":\"marketing\"}"));
        assertThat(marketing.status()).as(marketing.body()).isEqualTo(422);

        // another tenant can neither send as it nor see it
        var foreign = server.post("/v1/messages", otherKey, message("owner@shop.clienta.example"));
        assertThat(foreign.status()).isEqualTo(422);
        assertThat(foreign.text("type")).endsWith("sender-not-allowed");
        assertThat(server.get("/v1/identities/" + id, otherKey).status()).isEqualTo(404);
        assertThat(server.send("DELETE", "/v1/identities/" + id, otherKey, null).status()).isEqualTo(404);
        assertThat(server.post("/v1/identities/" + id + "/resend", otherKey, null).status()).isEqualTo(404);
        assertThat(server.get("/v1/identities", otherKey).json().path("data")).isEmpty();
        assertThat(server.get("/v1/identities?tenant_id=" + shop, otherKey).status()).isEqualTo(404);
        assertThat(create(otherKey, shop, "sales@shop.clienta.example").status()).isEqualTo(404);
        assertThat(server.get("/v1/identities?tenant_id=" + shop, ADMIN_KEY).json().path("data")).hasSize(1);

        assertThat(server.send("DELETE", "/v1/identities/" + id, shopKey, null).status()).isEqualTo(204);
        assertThat(server.post("/v1/messages", shopKey, message("owner@shop.clienta.example")).status()).isEqualTo(422);
    }

    @Test
    void refusesWhatCannotWorkAndStoresNothing() {
        for (var strict : List.of("boss@strict.clienta.example", "boss@junk.clienta.example")) {
            var refused = create(shopKey, shop, strict);
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
            assertThat(refused.json().path("errors").get(0).path("message").asText()).contains("DMARC").contains("alignment");
        }
        var bad = create(shopKey, shop, "not an address");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
        assertThat(server.get("/v1/identities", shopKey).json().path("data")).isEmpty();

        assertThat(create(shopKey, shop, "owner@relaxed.clienta.example").status()).isEqualTo(201);
        var twice = create(shopKey, shop, "OWNER@relaxed.clienta.example");
        assertThat(twice.status()).as(twice.body()).isEqualTo(409);
        var resent = server.post("/v1/identities/" + server.get("/v1/identities", shopKey).json().path("data").get(0).path("id").asText()
                + "/resend", shopKey, null);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(spooledTo("owner@relaxed.clienta.example")).hasSize(2);

        server.restart(Map.of("MAILROOM_IDENTITIES_FROM", ""));
        var unconfigured = create(shopKey, shop, "sales@relaxed.clienta.example");
        assertThat(unconfigured.status()).as(unconfigured.body()).isEqualTo(409);
        assertThat(unconfigured.text("detail")).contains("identities.from");
        server.restart(Map.of("MAILROOM_IDENTITIES_FROM", "verify@unknown.clienta.example"));
        var unverified = create(shopKey, shop, "sales@relaxed.clienta.example");
        assertThat(unverified.status()).as(unverified.body()).isEqualTo(409);
        assertThat(unverified.text("detail")).contains("identities.from").contains("unknown.clienta.example");
        assertThat(server.get("/v1/identities", shopKey).json().path("data")).hasSize(1);
    }
}

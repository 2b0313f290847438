package dev.mailroom.web;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Await;
import dev.mailroom.api.TestServer;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.submission.SendingFixture;
import dev.mailroom.tenancy.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A tenant's overview and domains in a real browser, with real traffic: mail submitted over the
 * API, delivered to smtp-sink or bounced by it, rolled up into the stats the charts draw.
 */
class TenantPageBrowserTest {
    private static final String INBOX = "127.0.0.10";
    private static final String BAD = "127.0.0.11";
    @TempDir
    static Path dir;
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static final List<SmtpSink> SINKS = new ArrayList<>();
    private static SendingFixture fixture;
    private static TestServer server;
    private static Browser browser;
    private static String tenant;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed; .ci/run installs it");
        int port = SmtpSink.freePort(INBOX, BAD);
        fixture = SendingFixture.start(dir, null, 0, Map.of("MAILROOM_DELIVERY_ENABLED", "true",
                "MAILROOM_DELIVERY_MX_PORT", Integer.toString(port), "MAILROOM_REPUTATION_INTERVAL", "1d",
                // rates of a few dozen messages, so that the page has some to judge
                "MAILROOM_REPUTATION_MIN_VOLUME", "20"), CLOCK);
        server = fixture.server();
        browser = Browser.start("http://127.0.0.1:" + server.mailroom().httpPort());
        fixture.publishZoneLines(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + INBOX, "bad IN MX 10 mx.bad", "mx.bad IN A " + BAD));
        SINKS.add(SmtpSink.start(dir, INBOX, port));
        SINKS.add(SmtpSink.start(dir, BAD, port, "-f", "rcpt", "-B", "550 5.1.1 Recipient address rejected: User unknown"));
        tenant = fixture.createTenant("Acme Newsletters");
        fixture.verifiedDomain(tenant, "news.clienta.example", "marketing");
        var key = fixture.key(tenant, "\"send\",\"read\"", null);
        DashboardClient.createUser(server, "admin@agency.example", "agency_admin", null);
        DashboardClient.createUser(server, "viewer@acme.example", "client_viewer", tenant);

        // two hours of traffic, so the hourly chart has a line: 30 then 20 delivered, 2 bounced
        sendAndDeliver(key, 0, 30, 1);
        CLOCK.advance(Duration.ofHours(1));
        sendAndDeliver(key, 30, 20, 1);
        CLOCK.advance(Duration.ofMinutes(2)); // past the roll-up's late-commit margin
        server.mailroom().statsRollup().catchUp();
        server.mailroom().reputation().runOnce();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        SINKS.forEach(SmtpSink::close);
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void forget() {
        if (browser != null) {
            browser.driver().manage().window().setSize(new Dimension(1280, 900));
            browser.driver().manage().deleteAllCookies();
        }
    }

    @Test
    void theOverviewDrawsTheTrafficAndShowsRatesWarmupAndCompliance() {
        browser.driver().manage().window().setSize(new Dimension(1280, 1500));
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        browser.open("/tenants/" + tenant);
        browser.waitForHeading("Acme Newsletters");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(".chart[data-chart-drawn='true']")).size() == 2);
        @SuppressWarnings("unchecked")
        var canvases = (List<Map<String, Object>>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Array.from(document.querySelectorAll('.chart .uplot canvas')).map(c => ({width: c.width, height: c.height}));");
        assertThat(canvases).hasSize(2).allSatisfy(size -> {
            assertThat(((Number) size.get("width")).intValue()).isPositive();
            assertThat(((Number) size.get("height")).intValue()).isPositive();
        });
        // every series in the legend: the time axis and six counts
        assertThat(browser.driver().findElements(By.cssSelector(".chart-figure:first-child .u-legend .u-series"))).hasSize(7);
        assertThat(browser.text(".chart-figure:first-child .u-legend")).contains("Sent", "Delivered", "Bounced (hard + soft)", "Complained",
                "Opened", "Clicked");

        // the same numbers as text: the daily table adds up to everything sent
        var daily = browser.driver().findElements(By.cssSelector("table.series-day tbody tr"));
        assertThat(daily).hasSizeGreaterThanOrEqualTo(30);
        var lastDay = (String) ((JavascriptExecutor) browser.driver()).executeScript(
                "var rows = document.querySelectorAll('table.series-day tbody tr'); var sent = 0, delivered = 0, bounced = 0;"
                        + "rows.forEach(r => { var c = r.querySelectorAll('td'); sent += +c[0].textContent; delivered += +c[1].textContent;"
                        + " bounced += +c[2].textContent; }); return sent + ' ' + delivered + ' ' + bounced;");
        assertThat(lastDay).isEqualTo("52 50 2");

        // 2 bounced of 52: 3.8 %, over the 2 % warning line and under the 5 % critical one, in words and colour
        assertThat(browser.driver().findElements(By.cssSelector("table.rates tbody tr"))).extracting(row -> row.getText().toLowerCase())
                .contains("bounce rate 24h 3.8% 2.0% 5.0% warning", "complaint rate 24h 0.00% 0.10% 0.20% ok", "delivery rate 30d 96.2% 95.0% 90.0% ok");
        assertThat(browser.driver().findElement(By.cssSelector("table.rates .level-warning")).getCssValue("color")).isEqualTo("rgba(138, 83, 0, 1)");
        assertThat(browser.text("#warmup + *")).contains("news.clienta.example").containsPattern("day \\d+");
        assertThat(browser.text("#compliance ~ ul.checklist")).containsAnyOf("PASS", "WARN", "FAIL", "UNKNOWN");
        assertThat(browser.text("section[aria-labelledby='blocklists']")).contains("Blocklists");
        assertThat(browser.text("section[aria-labelledby='dmarc']")).contains("DMARC reports by source");
        browser.screenshot("tenant");
    }

    @Test
    void theDomainsTabListsEveryRecordAndChecksOnRequest() throws Exception {
        var added = fixture.addDomain(tenant, "shop.clienta.example", "transactional");
        var domainId = added.path("id").asText();
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        browser.open("/tenants/" + tenant + "/domains");
        browser.waitForHeading("Acme Newsletters");
        assertThat(browser.text("#domain-" + domainId + " h2")).contains("shop.clienta.example", "pending");
        var records = browser.driver().findElements(By.cssSelector("#domain-" + domainId + " tr.record"));
        assertThat(records).hasSize(added.path("records").size());
        assertThat(browser.text("#domain-" + domainId + " table.records")).contains("dkim", "TXT", "required");
        assertThat(browser.driver().findElements(By.cssSelector("#domain-" + domainId + " button.copy"))).hasSize(2 * records.size());

        // checked before the records are published: missing; after: verified, swapped in by htmx without leaving the page
        checkNow(domainId, "missing");
        fixture.publish(added);
        checkNow(domainId, "verified");
        assertThat(browser.path()).isEqualTo("/tenants/" + tenant + "/domains");
        assertThat(browser.driver().findElements(By.cssSelector("#domain-" + domainId + " tr.record-verified"))).hasSize(records.size());

        // a copy button puts the value on the clipboard (127.0.0.1 is a secure context)
        var copy = browser.driver().findElement(By.cssSelector("#domain-" + domainId + " tr.record td:nth-of-type(3) button.copy"));
        copy.click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> !copy.getText().equals("Copy"));
        assertThat(copy.getText()).isIn("Copied", "Selected: press Ctrl+C");
        browser.driver().manage().window().setSize(new Dimension(1280, 1100));
        ((JavascriptExecutor) browser.driver()).executeScript("window.scrollTo(0, 0)");
        browser.screenshot("tenant-domains");
    }

    @Test
    void aClientViewerSeesTheRecordsButNoCheckButton() {
        browser.logIn("viewer@acme.example", DashboardClient.PASSWORD);
        browser.open("/tenants/" + tenant + "/domains");
        browser.waitForHeading("Acme Newsletters");
        assertThat(browser.text("main")).contains("news.clienta.example", "verified");
        assertThat(browser.driver().findElements(By.cssSelector("button.check-now"))).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("button.copy"))).isNotEmpty();
    }

    private void checkNow(String domainId, String status) {
        browser.driver().findElement(By.cssSelector("#domain-" + domainId + " button.check-now")).click();
        // asked in one script: htmx replaces the rows, so references to them go stale
        new WebDriverWait(browser.driver(), Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "var rows = document.querySelectorAll(arguments[0]); return rows.length > 0 && Array.from(rows).every(r => r.classList.contains(arguments[1]));",
                "#domain-" + domainId + " tr.record", "record-" + status));
    }

    /** Submits {@code delivered} messages to the inbox and {@code bounced} to the address that refuses, and waits for their outcomes. */
    private static void sendAndDeliver(String key, int first, int delivered, int bounced) throws InterruptedException {
        var ids = new ArrayList<String>();
        for (int i = first; i < first + delivered + bounced; i++) {
            var to = "r" + i + "@" + (i < first + delivered ? "inbox" : "bad") + ".clienta.example";
            var response = server.post("/v1/messages", key,
                    "{\"from\":\"news@news.clienta.example\",\"to\":[\"" + to + "\"],\"subject\":\"News\",\"text\":\"Hello\"}");
            assertThat(response.status()).as(response.body()).isEqualTo(202);
            ids.add(response.text("id"));
        }
        Await.until("the messages' outcomes", Duration.ofSeconds(60), () -> {
            CLOCK.advance(Duration.ofSeconds(1)); // a retry after a deferral falls due
            return ids.stream().map(id -> server.get("/v1/messages/" + id, key).json().path("recipients").path(0).path("status").asText()).allMatch(s -> s.equals("delivered") || s.equals("bounced"));
        });
    }
}

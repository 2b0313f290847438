package dev.mailroom.web;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Await;
import dev.mailroom.api.TestServer;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import dev.mailroom.tenancy.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The agency's overview in Chromium, on real traffic: two tenants' mail is delivered to
 * smtp-sink or refused by another, the roll-up and the autopilot run on a clock the test moves,
 * and the overview shows the rates in words, the alert and the pause, whose Resume button works.
 */
class OverviewBrowserTest {
    private static final String INBOX = "127.0.0.41";
    private static final String BAD = "127.0.0.42";
    @TempDir
    static Path dir;
    private static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static final List<SmtpSink> sinks = new ArrayList<>();
    private static TestDatabase.Instance database;
    private static SendingFixture fixture;
    private static TestServer server;
    private static Browser browser;
    private static String acme;
    private static String globex;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed; .ci/run installs it");
        int port = SmtpSink.freePort(INBOX, BAD);
        database = TestDatabase.H2.create();
        var env = new HashMap<String, String>();
        env.put("MAILROOM_DELIVERY_ENABLED", "true");
        env.put("MAILROOM_DELIVERY_MX_PORT", Integer.toString(port));
        env.put("MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1s");
        env.put("MAILROOM_DELIVERY_RETRY_MAX_DELAY", "2s");
        // a few dozen messages are enough to judge, and the engine runs when the test says
        env.put("MAILROOM_REPUTATION_MIN_VOLUME", "10");
        env.put("MAILROOM_REPUTATION_INTERVAL", "1d");
        fixture = SendingFixture.start(dir, database, 0, env, clock);
        server = fixture.server();
        fixture.publishZoneLines(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + INBOX, "bad IN MX 10 mx.bad", "mx.bad IN A " + BAD));
        sinks.add(SmtpSink.start(dir, INBOX, port));
        sinks.add(SmtpSink.start(dir, BAD, port, "-f", "rcpt", "-B", "550 5.1.1 Recipient address rejected: User unknown"));

        acme = fixture.createTenant("Acme Newsletters");
        fixture.verifiedDomain(acme, "news.clienta.example", "marketing");
        var acmeKey = fixture.key(acme, "\"send\",\"read\"", null);
        globex = fixture.createTenant("Globex Billing");
        fixture.verifiedDomain(globex, "billing.clienta.example", "transactional");
        var globexKey = fixture.key(globex, "\"send\",\"read\"", null);
        // Acme: 1 bounce in 41 (2.4 %, a warning); Globex: 5 in 15 (33 %, critical, and past the 10 % hard bounce pause)
        sendBatch(acmeKey, "news@news.clienta.example", "inbox.clienta.example", 40);
        sendBatch(acmeKey, "news@news.clienta.example", "bad.clienta.example", 1);
        sendBatch(globexKey, "bills@billing.clienta.example", "inbox.clienta.example", 10);
        sendBatch(globexKey, "bills@billing.clienta.example", "bad.clienta.example", 5);
        Await.until("every message delivered or bounced", Duration.ofSeconds(60), () -> {
            clock.advance(Duration.ofSeconds(1)); // a retry after a deferral falls due
            return count(acme, "message.delivered") == 40 && count(acme, "message.bounced") == 1
                    && count(globex, "message.delivered") == 10 && count(globex, "message.bounced") == 5;
        });
        // past the roll-up's late-commit margin, then one look of the autopilot
        clock.advance(Duration.ofMinutes(2));
        server.mailroom().statsRollup().catchUp();
        server.mailroom().reputation().runOnce();
        assertThat(server.get("/v1/tenants/" + globex, ADMIN_KEY).text("status")).isEqualTo("paused");

        DashboardClient.createUser(server, "operator@agency.example", "agency_operator", null);
        browser = Browser.start("http://127.0.0.1:" + server.mailroom().httpPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        sinks.forEach(SmtpSink::close);
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theOverviewShowsRatesAlertsAndActionsAndResumesAPausedTenant() {
        browser.driver().manage().window().setSize(new Dimension(1280, 1750));
        browser.logIn("operator@agency.example", DashboardClient.PASSWORD);
        assertThat(browser.path()).isEqualTo("/");
        var acmeRow = browser.text("tr[data-tenant='" + acme + "']");
        assertThat(acmeRow).contains("Acme Newsletters", "active", "41", "40", "2.4% warning", "0.00% ok");
        var globexRow = browser.text("tr[data-tenant='" + globex + "']");
        assertThat(globexRow).contains("Globex Billing", "paused", "15", "10", "33.3% critical", "0.00% ok");
        assertThat(browser.text("tr[data-tenant='" + globex + "'] .alerts-count")).as("bounce, hard bounce and delivery rates").isEqualTo("3");
        assertThat(browser.text("tr[data-tenant='" + acme + "'] .alerts-count")).isEqualTo("1");
        assertThat(browser.text("table.pools")).contains("starter", "clean");
        assertThat(browser.text(".feed.alerts")).contains("critical", "Globex Billing", "bounce_rate");
        var actions = browser.text(".feed.actions");
        assertThat(actions).contains("PAUSE", "THROTTLE", "Globex Billing", "hard bounce rate 33.3% is above 10.0%");
        var resume = browser.driver().findElement(By.cssSelector("button[aria-label='Resume Globex Billing']"));
        browser.screenshot("overview");

        resume.click();
        // the form posts and the browser follows the redirect: wait for the new page, not the old one's empty notice
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.getCurrentUrl().contains("done=resumed") && !d.findElement(By.cssSelector(".flash")).getText().isEmpty());
        assertThat(browser.text(".flash")).isEqualTo("Globex Billing resumed: its status is active.");
        assertThat(browser.driver().findElement(By.cssSelector(".flash")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(browser.text("tr[data-tenant='" + globex + "']")).contains("active");
        assertThat(browser.driver().findElements(By.cssSelector("button[aria-label='Resume Globex Billing']"))).isEmpty();
        assertThat(server.get("/v1/tenants/" + globex, ADMIN_KEY).text("status")).isEqualTo("active");
    }

    @Test
    void atPhoneWidthOnlyTheTablesScroll() {
        browser.driver().manage().window().setSize(new Dimension(375, 800));
        browser.logIn("operator@agency.example", DashboardClient.PASSWORD);
        browser.open("/");
        var width = ((Number) ((JavascriptExecutor) browser.driver()).executeScript("return document.documentElement.scrollWidth")).longValue();
        assertThat(width).as("nothing wider than the screen").isLessThanOrEqualTo(375);
        assertThat(browser.driver().findElement(By.cssSelector("table.tenants")).isDisplayed()).isTrue();
    }

    @AfterEach
    void forget() {
        browser.driver().manage().deleteAllCookies();
    }

    private static void sendBatch(String key, String from, String domain, int count) {
        var messages = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            messages.add("{\"from\":\"" + from + "\",\"to\":[\"r" + i + "@" + domain + "\"],\"subject\":\"News\",\"text\":\"Hello\"}");
        }
        var response = server.post("/v1/messages/batch", key, "{\"messages\":[" + String.join(",", messages) + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    private static long count(String tenantId, String type) {
        var events = server.get("/v1/events?tenant_id=" + tenantId + "&limit=500", ADMIN_KEY).json().path("data");
        long n = 0;
        for (var event : events) {
            if (event.path("type").asText().equals(type)) {
                n++;
            }
        }
        return n;
    }
}

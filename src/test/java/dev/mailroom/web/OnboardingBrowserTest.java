package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The onboarding wizard in headless Chromium against a real DNS zone (knot serving
 * {@code clienta.example}): the records the page shows are published as shown, and the page,
 * polling, turns them green until the domain is verified.
 */
class OnboardingBrowserTest {
    @TempDir
    static Path dir;
    private static SendingFixture fixture;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        fixture = SendingFixture.start(dir, null, 0, Map.of());
        browser = Browser.start("http://127.0.0.1:" + fixture.server().mailroom().httpPort());
        DashboardClient.createUser(fixture.server(), "admin@agency.example", "agency_admin", null);
        var other = fixture.createTenant("Viewer's own");
        DashboardClient.createUser(fixture.server(), "viewer@client.example", "client_viewer", other);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void forget() {
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void theAgencyAddsAClientAndItsDomainAndWatchesTheRecordsTurnGreen() throws Exception {
        var driver = browser.driver();
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        driver.findElement(By.linkText("Add a client")).click();
        browser.waitForHeading("Add a client");

        driver.findElement(By.id("name")).sendKeys("Client A Ltd");
        driver.findElement(By.cssSelector("form.stack button[type='submit']")).click();
        browser.waitForHeading("Add a domain for Client A Ltd");
        var tenantId = browser.path().split("/")[2];

        // the API's validation, shown beside the field
        driver.findElement(By.id("name")).sendKeys("not a domain");
        driver.findElement(By.cssSelector("form.stack button[type='submit']")).click();
        browser.waitForHeading("Add a domain for Client A Ltd");
        assertThat(browser.text("#name-error")).startsWith("Name: the domain name");

        var name = driver.findElement(By.id("name"));
        name.clear();
        name.sendKeys("news." + SendingFixture.ZONE);
        new Select(driver.findElement(By.id("stream"))).selectByValue("marketing");
        new Select(driver.findElement(By.id("setup"))).selectByValue("txt");
        driver.findElement(By.cssSelector("form.stack button[type='submit']")).click();
        browser.waitForHeading("Publish the records of news." + SendingFixture.ZONE);
        assertThat(browser.text("main")).contains("Stream marketing, setup txt", "pending", "required");
        browser.screenshot("onboarding");

        var lines = driver.findElements(By.cssSelector("table.records tbody tr")).stream().map(OnboardingBrowserTest::zoneLine).toList();
        assertThat(lines).isNotEmpty();
        fixture.publishZoneLines(lines);

        new WebDriverWait(driver, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).pollingEvery(Duration.ofMillis(500))
                .until(d -> !d.findElements(By.cssSelector(".domain-check .verified")).isEmpty());
        assertThat(browser.text(".domain-check .verified")).contains("news." + SendingFixture.ZONE + " is verified");
        for (var row : driver.findElements(By.cssSelector("table.records tbody tr"))) {
            if (row.findElements(By.tagName("td")).get(3).getText().equals("required")) {
                assertThat(row.findElement(By.cssSelector(".record-status")).getText()).isEqualTo("verified");
            }
        }
        driver.findElement(By.linkText("Go to the client's page")).click();
        browser.waitForPath("/tenants/" + tenantId);
    }

    @Test
    void aClientViewerFindsNoWizard() {
        browser.logIn("viewer@client.example", DashboardClient.PASSWORD);
        assertThat(browser.text("nav")).doesNotContain("Add a client");
        browser.open("/onboarding");
        assertThat(browser.text("h1")).isEqualTo("Not found");
    }

    /** A row of the records table as a zone file line, published exactly as the page shows it. */
    private static String zoneLine(WebElement row) {
        var cells = row.findElements(By.tagName("td"));
        return new DnsRecord(RecordPurpose.valueOf(row.getAttribute("data-purpose").toUpperCase(Locale.ROOT)), cells.get(0).getText(),
                row.findElement(By.cssSelector(".record-name")).getAttribute("textContent"),
                row.findElement(By.cssSelector(".record-value")).getAttribute("textContent"), true, RecordStatus.PENDING, "").zoneLine();
    }
}

package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.api.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;

/** Each role in a real (headless) Chromium, over http://127.0.0.1 with the default, Secure, session cookie. */
class DashboardBrowserTest {
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Browser browser;
    private static String tenantA;
    private static String tenantB;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, null);
        browser = Browser.start("http://127.0.0.1:" + server.mailroom().httpPort());
        tenantA = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Acme Newsletters\"}").text("id");
        tenantB = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Globex Billing\"}").text("id");
        DashboardClient.createUser(server, "admin@agency.example", "agency_admin", null);
        DashboardClient.createUser(server, "operator@agency.example", "agency_operator", null);
        DashboardClient.createUser(server, "viewer@acme.example", "client_viewer", tenantA);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void forget() {
        browser.driver().manage().window().setSize(new Dimension(1280, 900));
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void theAgencyAdminSeesEveryTenantAndOpensOne() {
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.text("header .who")).contains("admin@agency.example", "agency admin");
        assertThat(browser.text("table.tenants")).contains("Acme Newsletters", "Globex Billing", "active", "setup");

        browser.driver().findElement(By.linkText("Globex Billing")).click();
        browser.waitForPath("/tenants/" + tenantB);
        assertThat(browser.text("h1")).isEqualTo("Globex Billing");
        assertThat(browser.text(".facts")).contains("Status", "active", "Life cycle", "setup", "Pool");
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndSecure() {
        browser.logIn("operator@agency.example", DashboardClient.PASSWORD);
        assertThat(browser.text("header .who")).contains("operator@agency.example", "agency operator");
        var cookie = browser.driver().manage().getCookieNamed(SessionCookie.NAME);
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return document.cookie")).as("no script reads it").isEqualTo("");
    }

    @Test
    void aWrongPasswordStaysOnTheLoginFormWithAnError() {
        browser.logIn("admin@agency.example", "not the right password");
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.text("[role='alert']")).isEqualTo("Wrong email or password.");
        assertThat(browser.driver().manage().getCookieNamed(SessionCookie.NAME)).isNull();
    }

    @Test
    void aClientViewerLandsOnItsTenantAndFindsNoOther() {
        browser.logIn("viewer@acme.example", DashboardClient.PASSWORD);
        assertThat(browser.path()).isEqualTo("/tenants/" + tenantA);
        assertThat(browser.text("h1")).isEqualTo("Acme Newsletters");
        assertThat(browser.text("header .who")).contains("viewer@acme.example", "client viewer");
        assertThat(browser.text("nav")).doesNotContain("Tenants");

        browser.open("/tenants/" + tenantB);
        assertThat(browser.text("h1")).isEqualTo("Not found");
        assertThat(browser.driver().getPageSource()).doesNotContain("Globex");
        browser.open("/tenants/tnt_01aaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(browser.text("h1")).isEqualTo("Not found");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/tenants/" + tenantA);
    }

    @Test
    void loggingOutEndsTheSessionAndBackShowsTheLoginForm() {
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        browser.driver().findElement(By.cssSelector("form[action='/logout'] button")).click();
        browser.waitForPath("/login");
        browser.driver().navigate().back();
        browser.waitForPath("/login");
        assertThat(browser.driver().getPageSource()).doesNotContain("Acme Newsletters");
        browser.open("/tenants/" + tenantA);
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        ((JavascriptExecutor) browser.driver()).executeScript(
                "document.querySelector(\"form[action='/logout'] input[name='_csrf']\").remove();"
                        + "document.querySelector(\"form[action='/logout']\").submit();");
        browser.waitForHeading("Forbidden");
        assertThat(browser.text("main")).contains("The form was stale");
        browser.open("/");
        assertThat(browser.path()).as("still logged in").isEqualTo("/");
    }

    @Test
    void atPhoneWidthTheNavigationFoldsBehindAMenuButton() {
        browser.driver().manage().window().setSize(new Dimension(375, 800));
        browser.logIn("admin@agency.example", DashboardClient.PASSWORD);
        var menu = browser.driver().findElement(By.cssSelector(".menu-toggle"));
        var nav = browser.driver().findElement(By.id("site-nav"));
        assertThat(menu.isDisplayed()).isTrue();
        assertThat(nav.isDisplayed()).isFalse();
        menu.click();
        assertThat(nav.isDisplayed()).isTrue();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
        var width = ((Number) ((JavascriptExecutor) browser.driver()).executeScript("return document.documentElement.scrollWidth")).longValue();
        assertThat(width).as("nothing wider than the screen").isLessThanOrEqualTo(375);
    }
}

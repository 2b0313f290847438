package dev.mailroom.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, which .ci/run installs). Tests that need it are skipped, saying why,
 * where either is missing. Nothing is downloaded: the driver and browser are given by path.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go, relative to the project directory (Maven's working directory for tests). */
    public static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    private final WebDriver driver;
    private final String base;

    private Browser(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** A new headless browser whose relative URLs go to {@code base} (e.g. {@code http://127.0.0.1:8025}); skips the test without Chromium. */
    public static Browser start(String base) {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium package to run the browser tests");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing: install Debian's chromium-driver package to run the browser tests");
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        var driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, base);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a path of the server (or a full URL). */
    public void open(String path) {
        driver.get(path.startsWith("http") ? path : base + path);
    }

    /** Fills in and sends the login form, and waits for the answer: another page, or the form again with an error. */
    public void logIn(String email, String password) {
        open(LoginPage.PATH);
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form[action='/login'] button[type='submit']")).click();
        waiting().until(d -> !path().equals(LoginPage.PATH) || !d.findElements(By.cssSelector("[role='alert']")).isEmpty());
    }

    /** The path of the page shown now. */
    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /**
     * A wait of up to 10 s that looks again when an element it read belongs to a page the browser
     * has just left (a navigation in progress), rather than failing on it.
     */
    public WebDriverWait waiting() {
        var wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Waits (up to 10 s) until the page shown is {@code path}, e.g. after a script navigated. */
    public void waitForPath(String path) {
        waiting().until(d -> path().equals(path));
    }

    /** Waits (up to 10 s) until the page's {@code h1} reads {@code heading}. */
    public void waitForHeading(String heading) {
        waiting().until(d -> d.findElements(By.tagName("h1")).stream().anyMatch(h1 -> h1.getText().equals(heading)));
    }

    /** The text of the first element matching {@code css}. */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** Saves what the window shows as docs/screenshots/{@code name}.png and returns the file. */
    public Path screenshot(String name) {
        var shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.createDirectories(SCREENSHOTS);
            var target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}

package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver: both paths are given, so Selenium never looks for
 * a browser or a driver to download. {@code .ci/run} installs the packages {@code chromium} and
 * {@code chromium-driver}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    static Browser start(Path screenshots) {
        assertThat(CHROMIUM).as("Chromium: apt-get install chromium chromium-driver (.ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver: apt-get install chromium-driver (.ci/run does)").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1000", "--no-first-run", "--disable-extensions");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        try {
            Files.createDirectories(screenshots);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new Browser(new ChromeDriver(service, options), screenshots);
    }

    /** Sets the window's size, as a person's screen gives it. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Makes the page see {@code prefers-color-scheme} as {@code light} or {@code dark}, as a system set so would. */
    void emulateColourScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Waits, polling the page, until {@code condition} gives a value that is neither null nor false. When it does not
     * in time, the failure tells what the page showed and logged.
     */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                    .ignoring(StaleElementReferenceException.class).until(condition);
        }
        catch (TimeoutException ex) {
            throw new AssertionError("Waited " + timeout.toSeconds() + " s in vain: " + what + ". The page at "
                    + driver.getCurrentUrl() + " showed:\n" + text("body") + "\nIts console:\n"
                    + consoleEntries().stream().map(LogEntry::toString).collect(Collectors.joining("\n")), ex);
        }
    }

    /**
     * The text of the first element that matches, as shown, or empty while none does: read in one step in the page,
     * since the page redraws what the stream changes.
     */
    String text(String css) {
        return (String) driver.executeScript("return document.querySelector(arguments[0])?.innerText ?? ''", css);
    }

    /** An attribute of the first element that matches; null while none does or it lacks the attribute. */
    String attribute(String css, String name) {
        return (String) driver.executeScript(
                "return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null", css, name);
    }

    Object script(String javascript, Object... arguments) {
        return driver.executeScript(javascript, arguments);
    }

    /** What the page logged to its console since the last call, as Chrome reports it. */
    List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}

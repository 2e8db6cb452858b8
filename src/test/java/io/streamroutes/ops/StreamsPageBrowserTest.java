package io.streamroutes.ops;

import io.streamroutes.testsupport.InstalledTools;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streams page in a real browser: Debian's chromium, headless, driven by Selenium through Debian's chromedriver
 * (skipped, with the reason, where they are not installed). The page must list the streams, show a dead letter with
 * its error, render a hostile field as text, requeue the entry so that it is processed, pause/resume and purge.
 */
class StreamsPageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    static ScenarioApp app;
    static WebDriver browser;
    static String page;

    @BeforeAll
    static void start() throws Exception {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " (Debian package chromium)"
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " (Debian package chromium-driver)" : null;
        InstalledTools.require(missing == null, "StreamsPageBrowserTest: " + missing + " is not installed");
        int port = EmbeddedRedis.freePort();
        page = "http://127.0.0.1:" + port + "/streams";
        app = ScenarioApp.start(redis.host(), redis.port(), Map.of("camel.server.enabled", "true", "camel.server.port",
                Integer.toString(port), "streams.page.refresh-seconds", "2", "analytics.block-ms", "200",
                "camel.main.routes-builder-classes", FlakyJobsRoute.class.getName()), "routes/analytics.yaml");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,1100");
        // the given chromedriver, so Selenium Manager downloads nothing
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(StaleElementReferenceException.class); // the page reloads itself every 2 s
        return wait;
    }

    @Test
    void operatorSeesDeadLettersRequeuesPausesAndPurges() throws Exception {
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            FlakyJobsRoute.BROKEN.set(true);
            jedis.xadd("test:jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "42", "note", HOSTILE));
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_paid", "order_id", "7"));
            await().atMost(Duration.ofSeconds(15)).until(() -> jedis.xlen("test:dead-letter") == 1 && jedis.xlen("business:dead-letter") == 1);

            browser.get(page);
            assertEquals("Redis streams", browser.getTitle());
            assertTrue(browser.findElements(By.cssSelector("#streams tr[data-stream='business:events']")).size() == 1, browser.getPageSource());
            assertTrue(browser.findElements(By.cssSelector("#streams tr[data-stream='test:jobs']")).size() == 1);
            // an entry scheduled for later (by a ZADD, as any service may): counted with its due time
            jedis.zadd("{test:jobs}:scheduled", System.currentTimeMillis() + 3_600_000, "[\"later-1\",\"job\",\"44\"]");
            String scheduled = waitUpTo(10).until(d -> {
                String text = d.findElement(By.cssSelector("#streams tr[data-stream='test:jobs'] td.scheduled")).getText();
                return text.startsWith("1") ? text : null;
            });
            assertTrue(scheduled.matches("(?s)1\\s+next due in (59 min|1 h 0 min)"), scheduled);
            assertEquals("0", browser.findElement(By.cssSelector("#streams tr[data-stream='business:events'] td.scheduled")).getText());
            jedis.zrem("{test:jobs}:scheduled", "[\"later-1\",\"job\",\"44\"]");
            String row = "section[data-stream='test:dead-letter'] tr[data-id]";
            String error = waitUpTo(10).until(d -> d.findElement(By.cssSelector(row + " td.error")).getText());
            assertTrue(error.contains("downstream unavailable for job 42"), error);
            assertTrue(waitUpTo(10).until(d -> d.findElement(By.cssSelector("section[data-stream='business:dead-letter'] td.error")).getText())
                    .contains("missing user_id"));
            // the hostile field is shown as text and nothing of it ran
            String fields = waitUpTo(10).until(d -> d.findElement(By.cssSelector(row + " td.fields")).getText());
            assertTrue(fields.contains(HOSTILE), fields);
            assertNull(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? null : window.pwned"));
            assertTrue(browser.findElements(By.cssSelector("section img, td script")).isEmpty());
            screenshot();

            // it refreshes by itself: a new dead letter appears without any action
            jedis.xadd("test:jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "43"));
            waitUpTo(15).until(d -> d.findElements(By.cssSelector(row)).size() == 2);

            // the downstream is repaired: requeue one, then the others; the entries are processed
            FlakyJobsRoute.BROKEN.set(false);
            String firstId = waitUpTo(10).until(d -> d.findElement(By.cssSelector(row)).getAttribute("data-id"));
            click(By.cssSelector(row + "[data-id='" + firstId + "'] button[value='requeue']"));
            waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "requeued " + firstId));
            await().atMost(Duration.ofSeconds(15)).until(() -> FlakyJobsRoute.PROCESSED.contains("42"));
            click(By.cssSelector("section[data-stream='test:dead-letter'] button[value='requeue-all']"));
            await().atMost(Duration.ofSeconds(15)).until(() -> FlakyJobsRoute.PROCESSED.contains("43"));
            assertEquals(0, jedis.xlen("test:dead-letter"));

            // pause and resume the route
            click(By.cssSelector("#streams tr[data-stream='test:jobs'] button[value='pause']"));
            await().atMost(Duration.ofSeconds(15)).until(() -> app.context().getRouteController().getRouteStatus("test-jobs") != ServiceStatus.Started);
            waitUpTo(10).until(d -> !d.findElement(By.cssSelector("#streams tr[data-stream='test:jobs'] td.health")).getText().contains("UP"));
            click(By.cssSelector("#streams tr[data-stream='test:jobs'] button[value='resume']"));
            await().atMost(Duration.ofSeconds(15)).until(() -> app.context().getRouteController().getRouteStatus("test-jobs") == ServiceStatus.Started);

            // purge asks first
            click(By.cssSelector("section[data-stream='business:dead-letter'] button[value='purge']"));
            waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
            await().atMost(Duration.ofSeconds(10)).until(() -> !jedis.exists("business:dead-letter"));
        }
    }

    @Test
    void actionsFromAnotherSiteAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "action=purge&stream=business:dead-letter";
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(page + "/action"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode(), noToken.body());
        String token = http.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofString()).body()
                .replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(page + "/action"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(page + "/action")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(get.statusCode() >= 400, "actions are POSTs only: " + get.statusCode());
    }

    /** Clicks once the element is there (the page may be reloading itself at that moment). */
    private static void click(By by) {
        waitUpTo(10).until(d -> {
            WebElement button = d.findElement(by);
            button.click();
            return true;
        });
    }

    private static void screenshot() throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "streams-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + target.toAbsolutePath());
    }
}

package io.jbits.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web dashboard ({@code jbits ui}) in a real browser, headless Chromium, against the service and nginx: the
 * jobs table follows a download, the page's buttons and form act on the service, the chart draws, and requests
 * without the token or from another origin are refused. Screenshots go to {@code target/screenshots}.
 */
class DashboardBrowserTest extends EndToEnd {
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ADDRESS = Pattern.compile("^(http://127\\.0\\.0\\.1:(\\d+)/)\\?token=([0-9a-f]{64})$");

    private Browser browser;
    private String base;
    private String token;

    @BeforeEach
    void openTheDashboard() throws Exception {
        String printed = cli.ok("ui", "--no-open");
        Matcher m = ADDRESS.matcher(printed);
        assertTrue(m.matches(), "jbits ui should print the address with its token, printed: " + printed);
        base = m.group(1);
        token = m.group(3);
        browser = Browser.start(1280, 900);
    }

    @AfterEach
    void closeTheBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private WebDriver page() {
        return browser.driver();
    }

    /** Waits for a condition of the page, which redraws a job's row whenever the job changes. */
    private static org.awaitility.core.ConditionFactory eventually() {
        return await().atMost(PAGE_TIMEOUT).ignoreExceptions();
    }

    private WebElement row(String job) {
        return await().atMost(PAGE_TIMEOUT).ignoreExceptions()
                .until(() -> page().findElement(By.cssSelector("tr[data-job='" + job + "']")), r -> true);
    }

    private double progress(String job) {
        String value = row(job).findElement(By.tagName("progress")).getDomProperty("value");
        return value == null ? 0 : Double.parseDouble(value);
    }

    private String rowState(String job) {
        return row(job).getDomAttribute("data-state");
    }

    private void click(String job, String action) {
        await().atMost(PAGE_TIMEOUT).ignoreExceptions().until(() -> {
            row(job).findElement(By.cssSelector("button[data-action='" + action + "']")).click();
            return true;
        });
    }

    @Test
    void theTableFollowsADownloadAndItsButtonsSuspendAndResumeIt() throws Exception {
        TestData.randomFile(data.resolve("big.bin"), 16 * MIB, 71);
        startNginx("1m");
        String job = cli.createJob("watched-in-the-browser", "normal");
        add(job, nginx.url("/slow/big.bin"), "big.bin");
        // A timetable whose rates never bind at nginx's 1 MiB/s: the week strip and the cap line have something.
        cli.ok("policy", "set", "--schedule", "Mon-Fri 08:00,4M 18:00,off");
        cli.ok("resume", job);
        page().get(base + "?token=" + token);
        assertEquals(base, page().getCurrentUrl(), "the token leaves the address once it is in the cookie");
        eventually().until(() -> page().findElements(By.cssSelector("#week .span")).size() >= 7);

        double first = eventually().until(() -> progress(job), p -> p > 0);
        eventually().until(() -> progress(job) > first);
        eventually().until(() -> !row(job).findElement(By.className("rate")).getText().isEmpty());

        eventually().until(() -> {
            WebElement cap = row(job).findElement(By.cssSelector("input[aria-label^='rate cap']"));
            cap.clear();
            cap.sendKeys("3M");
            cap.findElement(By.xpath("following-sibling::button")).click();
            return true;
        });
        cli.awaitInfo(job, "capped at 3 MiB/s", STATE_TIMEOUT,
                info -> info.path("options").path("rate.max").asLong() == 3L * MIB);

        click(job, "suspend");
        eventually().until(() -> "SUSPENDED".equals(rowState(job)));
        assertEquals("SUSPENDED", state(cli.info(job)));
        click(job, "resume");
        eventually().until(() -> List.of("QUEUED", "CONNECTING", "TRANSFERRING").contains(rowState(job)));
        cli.awaitInfo(job, "transferring again", STATE_TIMEOUT, info -> "TRANSFERRING".equals(state(info)));

        WebElement chart = page().findElement(By.id("chart"));
        eventually().until(() -> Integer.parseInt(chart.getDomAttribute("data-points")) >= 5);
        eventually().until(() -> chart.findElement(By.cssSelector("polyline.bg")).getDomAttribute("points")
                .split(" ").length >= 5);
        assertTrue(page().findElement(By.id("chart-now")).getText().contains("background"));
        // The governor's three series are drawn, and the summary says what it sees: competing traffic and queuing
        // delay while it governs, or that it measures nothing (a remote on loopback, between its samples).
        assertTrue(chart.findElements(By.cssSelector("polyline.competing, polyline.qdelay, polyline.target"))
                .size() == 3, "the governor's series are in the chart");
        String now = page().findElement(By.id("chart-now")).getText();
        assertTrue(now.contains("the governor measures nothing now") || now.contains("the governor sees competing"),
                now);
        browser.screenshot("dashboard-jobs");
        ((JavascriptExecutor) page()).executeScript("document.getElementById('bandwidth').scrollIntoView()");
        browser.screenshot("dashboard-bandwidth");
        browser.darkMode(true);
        ((JavascriptExecutor) page()).executeScript("window.scrollTo(0, 0)");
        browser.screenshot("dashboard-jobs-dark");
        browser.darkMode(false);
        page().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        eventually().until(() -> row(job).isDisplayed());
        browser.screenshot("dashboard-phone");
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        eventually().until(() -> {
            row(job).findElement(By.linkText("watched-in-the-browser")).click();
            return true;
        });
        eventually().until(() -> page().findElement(By.id("job-title")).getText()
                .equals("watched-in-the-browser"));
        eventually().until(() -> !page().findElements(By.cssSelector("#events li")).isEmpty());
        eventually().until(() -> page().findElement(By.cssSelector("#files tbody")).getText().contains("big.bin"));
        browser.screenshot("dashboard-job");
        cli.ok("cancel", job);
    }

    @Test
    void aDownloadAddedThroughTheFormArrivesWhole() throws Exception {
        Path source = TestData.randomFile(data.resolve("form.bin"), 3 * MIB, 72);
        startNginx("8m");
        page().get(base + "?token=" + token);
        page().findElement(By.id("add-urls")).sendKeys(nginx.url("/form.bin"));
        page().findElement(By.id("add-dest")).sendKeys(dest.toString());
        page().findElement(By.id("add-name")).sendKeys("added-in-the-browser");
        new Select(page().findElement(By.id("add-priority"))).selectByValue("high");
        browser.screenshot("dashboard-add");
        page().findElement(By.id("add-submit")).click();

        String job = eventually().until(() -> {
            for (JsonNode j : cli.listAll()) {
                if ("added-in-the-browser".equals(j.path("name").asText())) {
                    return j.path("id").asText();
                }
            }
            return null;
        }, id -> id != null);
        assertEquals("HIGH", cli.info(job).path("priority").asText().toUpperCase(java.util.Locale.ROOT));
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        click(job, "complete");
        eventually().until(() -> "ACKNOWLEDGED".equals(state(cli.info(job))));
        assertSameBytes(source, dest.resolve("form.bin"));
    }

    @Test
    void withoutTheTokenOrFromAnotherOriginTheDashboardRefuses() throws Exception {
        page().get(base);
        assertTrue(page().getPageSource().contains("E_ACCESSDENIED"), page().getPageSource());
        page().get(base + "?token=" + "0".repeat(64));
        assertTrue(page().getPageSource().contains("E_ACCESSDENIED"), page().getPageSource());

        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(base + "v1/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, bare.statusCode(), bare.body());
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(base + "v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Origin", "http://attacker.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"forged\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
        HttpResponse<String> own = http.send(HttpRequest.newBuilder(URI.create(base + "v1/jobs"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, own.statusCode(), own.body());

        /* A page of another origin (nginx, on another loopback port: same site, so the browser even sends the
           cookie) posts to the dashboard from the same browser, after the dashboard was opened: nothing happens. */
        page().get(base + "?token=" + token);
        Files.writeString(data.resolve("foreign.html"), "<!doctype html><title>elsewhere</title>");
        startNginx("1m");
        page().get(nginx.url("/foreign.html"));
        Object outcome = ((JavascriptExecutor) page()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " headers: {'Content-Type': 'text/plain'}, body: '{\"name\":\"forged-by-a-page\"}'})"
                + ".then(r => done('sent ' + r.type), e => done('failed ' + e));", base + "v1/jobs");
        assertTrue(String.valueOf(outcome).startsWith("sent") || String.valueOf(outcome).startsWith("failed"));
        for (JsonNode j : cli.listAll()) {
            assertFalse(j.path("name").asText().startsWith("forged"), "a job was forged: " + j);
        }
    }
}

package dev.reelroute.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.ApiClient;
import dev.reelroute.support.HeadlessChromium;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person uses it, in Debian's headless Chromium: sign in with a key, drop an image and an audio
 * track on the page, watch the job finish, and play the video in the page. Another account's job never shows. A
 * screenshot of the finished page is kept as target/dashboard.png.
 */
class DashboardPageTest extends LocalReceiversServiceTest {
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @TempDir
    static Path media;
    static ChromeDriver browser;
    static WebhookReceiver receiver;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        receiver.close();
    }

    @Test
    void aJobDroppedOnThePageFinishesAndItsVideoPlaysThereAndOtherAccountsStayHidden() throws Exception {
        String key = newAccountKey("dashboard");
        Path image = TestMedia.png(media, 1280, 720);
        Path audio = TestMedia.wav(media, 3.0);
        // someone else's job, which must never appear (1 s: it is rendered, but never played)
        ApiClient.Response foreign = api.submit(newAccountKey("stranger"), image, "image/png",
                TestMedia.wav(media, 1.0), "audio/wav", null);
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(201);
        String foreignId = foreign.json().get("jobId").asText();

        openSignedOut();
        browser.findElement(By.id("api-key")).sendKeys("rr_not-a-key");
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(page -> !page.findElement(By.id("sign-in-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();

        signIn(key);

        dropFiles("image-audio-drop", image, audio);
        browser.findElement(By.id("webhook-url")).sendKeys(receiver.url("/hooks/dashboard"));
        assertThat(browser.findElement(By.id("image-audio-chosen")).getText()).contains(image.getFileName().toString(),
                audio.getFileName().toString());
        browser.findElement(By.id("submit-job")).click();
        wait.until(page -> page.findElement(By.id("image-audio-message")).getText().startsWith("Job "));
        String jobId = browser.findElement(By.id("image-audio-message")).getText().split(" ")[1];

        WebElement jobCard = awaitVideo(By.cssSelector("li.job[data-job-id='" + jobId + "']"), "COMPLETED");
        assertThat(jobCard.findElement(By.tagName("progress")).getDomProperty("value")).isEqualTo("100");
        jobCard.findElement(By.cssSelector("details.logs summary")).click();
        assertThat(jobCard.findElement(By.className("log-lines")).getText()).contains("Rendered");

        @SuppressWarnings("unchecked")
        Map<String, Object> played = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const video = document.querySelector(arguments[0] + ' video');
                video.muted = true;
                video.play().then(() => setTimeout(() => done({currentTime: video.currentTime, paused: video.paused,
                        width: video.videoWidth, height: video.videoHeight, error: null}), 1500),
                    (e) => done({error: String(e), mediaError: video.error && video.error.code}));
                """, "li.job[data-job-id='" + jobId + "']");
        assertThat(played.get("error")).as("play() failed: %s", played).isNull();
        assertThat(((Number) played.get("currentTime")).doubleValue()).as("seconds played").isGreaterThan(0.5);
        assertThat(played.get("paused")).isEqualTo(false);
        assertThat(((Number) played.get("width")).intValue()).isEqualTo(1280);

        // the job's webhook: its delivery is listed, and the last event can be sent again from the page
        WebElement webhooks = jobCard.findElement(By.cssSelector("details.webhooks"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(page -> {
            if (webhooks.getDomProperty("open").equals("true")) {
                webhooks.findElement(By.tagName("summary")).click(); // closed and opened again: reloads the list
            }
            webhooks.findElement(By.tagName("summary")).click();
            return webhooks.findElement(By.className("deliveries")).getText().contains("delivered");
        });
        assertThat(receiver.next(10, java.util.concurrent.TimeUnit.SECONDS)).as("the first delivery").isNotNull();
        webhooks.findElement(By.className("redeliver")).click();
        wait.until(page -> webhooks.findElement(By.className("webhook-message")).getText().equals("Redelivery queued"));
        assertThat(receiver.next(30, java.util.concurrent.TimeUnit.SECONDS)).as("the redelivery").isNotNull();

        assertThat(browser.getPageSource()).doesNotContain(foreignId);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void imagesDroppedAsAProjectBecomeOneVideoShownWithTheRunsProgress() throws Exception {
        signIn(newAccountKey("projects"));
        browser.findElement(By.cssSelector(".tab[data-tab='project']")).click();
        Path first = TestMedia.png(media, 640, 360);
        Path second = TestMedia.png(media, 800, 450);
        Path music = TestMedia.wav(media, 4.0);
        dropFiles("project-drop", first, second, music);
        assertThat(browser.findElement(By.id("project-chosen")).getText()).contains("Clip 1: image-640x360.png",
                "Clip 2: image-800x450.png", "Music: audio-4.0.wav");
        WebElement seconds = browser.findElement(By.id("project-seconds"));
        seconds.clear();
        seconds.sendKeys("1");
        browser.findElement(By.id("submit-project")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(page ->
                page.findElement(By.id("project-message")).getText().endsWith("is generating."));
        String projectId = browser.findElement(By.id("project-message")).getText().split(" ")[1];

        WebElement projectCard = awaitVideo(By.cssSelector("li.project[data-project-id='" + projectId + "']"),
                "completed");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(page ->
                "100".equals(projectCard.findElement(By.tagName("progress")).getDomProperty("value")));
        assertThat(projectCard.getText()).contains("2 clips");
    }

    /** Waits until the card shows {@code status} and a video element; returns the card. */
    private WebElement awaitVideo(By card, String status) {
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(page ->
                page.findElement(card).findElement(By.className("status")).getText().equals(status)
                        && !page.findElement(card).findElements(By.tagName("video")).isEmpty());
        return browser.findElement(card);
    }

    /**
     * The dashboard with no key kept from an earlier test: a kept key signs in by itself once the page has checked it,
     * hiding the sign-in form while the test types into it. The key is cleared on a page of the same origin that runs
     * no dashboard script (/health), so no sign-in still under way can store it again.
     */
    private void openSignedOut() {
        browser.get("http://localhost:" + port + "/health");
        browser.executeScript("sessionStorage.clear()");
        browser.get("http://localhost:" + port + "/dashboard/");
    }

    private void signIn(String key) {
        openSignedOut();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        WebElement keyField = browser.findElement(By.id("api-key"));
        keyField.clear();
        keyField.sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        wait.until(page -> page.findElement(By.id("app")).isDisplayed());
    }

    /** What a drag from the desktop delivers: a drop event whose DataTransfer holds the files. */
    private void dropFiles(String zoneId, Path... files) {
        JavascriptExecutor js = browser;
        WebElement picker = (WebElement) js.executeScript("""
                const input = document.createElement('input');
                input.type = 'file';
                input.multiple = true;
                input.id = 'test-drag-source';
                document.body.append(input);
                return input;
                """);
        picker.sendKeys(String.join("\n", java.util.Arrays.stream(files).map(Path::toString).toList()));
        js.executeScript("""
                const source = document.getElementById('test-drag-source');
                const data = new DataTransfer();
                for (const file of source.files) data.items.add(file);
                document.getElementById(arguments[0]).dispatchEvent(new DragEvent('drop', {dataTransfer: data,
                        bubbles: true, cancelable: true}));
                source.remove();
                """, zoneId);
    }
}

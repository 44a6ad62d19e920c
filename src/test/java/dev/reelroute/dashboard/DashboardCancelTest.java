package dev.reelroute.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.ApiClient;
import dev.reelroute.support.HeadlessChromium;
import dev.reelroute.support.WorkerlessServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Cancelling from the dashboard: an API-only instance (no worker), so the job waits PENDING until cancelled. */
class DashboardCancelTest extends WorkerlessServiceTest {
    @TempDir
    static Path media;
    static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPendingJobCancelledOnThePageIsCancelled() throws Exception {
        String key = newAccountKey("canceller");
        ApiClient.Response created = api.submit(key, TestMedia.png(media, 640, 360), "image/png",
                TestMedia.wav(media, 2.0), "audio/wav", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = created.json().get("jobId").asText();

        browser.get("http://localhost:" + port + "/dashboard/");
        browser.findElement(By.id("api-key")).sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        By card = By.cssSelector("li.job[data-job-id='" + jobId + "']");
        wait.until(page -> page.findElement(card).findElement(By.className("status")).getText().equals("PENDING"));
        WebElement cancel = browser.findElement(card).findElement(By.className("cancel"));
        assertThat(cancel.isDisplayed()).isTrue();
        cancel.click();

        wait.until(page -> page.findElement(card).findElement(By.className("status")).getText().equals("CANCELLED"));
        assertThat(browser.findElement(card).findElement(By.className("cancel")).isDisplayed()).isFalse();
        assertThat(api.get("/api/status/" + jobId, key).json().get("status").asText()).isEqualTo("CANCELLED");
    }
}

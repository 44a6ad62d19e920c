package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.ApiClient;
import dev.reelroute.support.HeadlessChromium;
import dev.reelroute.support.WorkerlessServiceTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages' browser headers: the try page (swagger-ui, which keeps keys in the browser) and the dashboard are
 * framed by no one and still work under their policies; the share page may be embedded, with nosniff and a CSP.
 */
class PageHeadersTest extends WorkerlessServiceTest {
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

    private static void assertUnframed(ApiClient.Response page) {
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'")
                .contains("script-src 'self'").doesNotContain("'unsafe-eval'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void theTryPageIsFramedByNoOne() throws Exception {
        ApiClient.Response page = api.get("/api-docs/index.html", null);
        assertThat(page.status()).isEqualTo(200);
        assertUnframed(page);
        assertThat(page.body()).as("no inline script: the policy allows none").doesNotContain("<script>");
        assertUnframed(api.get("/api-docs/try-page.js", null));
        assertUnframed(api.get("/dashboard/index.html", null));
    }

    @Test
    void swaggerUiStillWorksUnderThePolicy() {
        browser.get("http://localhost:" + port + "/api-docs/index.html");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(page -> !page.findElements(By.cssSelector(".swagger-ui .opblock")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#surfaces a"))).hasSize(6);
        assertThat(browser.findElement(By.cssSelector(".swagger-ui .btn.authorize")).isDisplayed()).isTrue();
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
        assertThat(violations).isEmpty();
    }

    @Test
    void theSharePageMayBeEmbeddedButKeepsNosniffAndAPolicy() throws Exception {
        ApiClient.Response missing = api.get("/share/no-such-token-0123456789", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Security-Policy")).contains("default-src 'none'")
                .contains("frame-ancestors *").contains("base-uri 'none'");
        assertThat(missing.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(missing.header("X-Frame-Options")).isNull();
    }
}

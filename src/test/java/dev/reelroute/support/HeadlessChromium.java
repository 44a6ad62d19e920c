package dev.reelroute.support;

import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium, headless, driven through its chromedriver (no driver download: both come from apt). */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    public static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("REELROUTE_TEST_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1600");
        // the console, for tests that read it (a page's CSP violations are reported there)
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getenv().getOrDefault("REELROUTE_TEST_CHROMEDRIVER",
                        "/usr/bin/chromedriver")).toFile())
                .build();
        return new ChromeDriver(service, options);
    }
}

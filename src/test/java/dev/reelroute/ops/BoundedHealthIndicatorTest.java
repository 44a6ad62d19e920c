package dev.reelroute.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class BoundedHealthIndicatorTest {
    @Test
    void aCheckThatHangsIsDownSayingSoAndIsNotStartedAgainWhileItRuns() throws Exception {
        CountDownLatch serverBack = new CountDownLatch(1);
        AtomicInteger checks = new AtomicInteger();
        BoundedHealthIndicator broker = new BoundedHealthIndicator("broker", () -> {
            checks.incrementAndGet();
            try {
                serverBack.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up().build();
        }, Duration.ofMillis(50));
        try {
            Health hanging = broker.health();
            assertThat(hanging.getStatus()).isEqualTo(Status.DOWN);
            assertThat(hanging.getDetails()).containsEntry("error", "The broker gave no answer within 50 ms");
            assertThat(broker.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(checks).as("one check at a time").hasValue(1);

            serverBack.countDown();
            // the hanging check ends; the next probe starts a new one, which answers UP
            await().until(() -> broker.health().getStatus().equals(Status.UP));
        } finally {
            serverBack.countDown();
            broker.destroy();
        }
    }

    @Test
    void aCheckThatFailsIsDownWithItsError() {
        BoundedHealthIndicator broker = new BoundedHealthIndicator("broker", () -> {
            throw new IllegalStateException("connection refused");
        }, Duration.ofSeconds(30));
        try {
            Health failed = broker.health();
            assertThat(failed.getStatus()).isEqualTo(Status.DOWN);
            assertThat(failed.getDetails().get("error").toString()).contains("connection refused");
        } finally {
            broker.destroy();
        }
    }
}

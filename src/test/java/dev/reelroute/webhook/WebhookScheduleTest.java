package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookScheduleTest {
    private static final List<Duration> STANDARD = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));

    @Test
    void followsTheStandardWebhooksScheduleThenStops() {
        WebhookSchedule exact = new WebhookSchedule(STANDARD, 0.1, Duration.ofHours(10), () -> 0.5);
        assertThat(exact.attempts()).isEqualTo(8);
        assertThat(exact.delayBefore(1, null)).hasValue(0);
        assertThat(exact.delayBefore(2, null)).hasValue(5_000);
        assertThat(exact.delayBefore(3, null)).hasValue(300_000);
        assertThat(exact.delayBefore(8, null)).hasValue(36_000_000);
        assertThat(exact.delayBefore(9, null)).isEmpty();
    }

    @Test
    void jitterSpreadsEachDelayWithinItsBounds() {
        assertThat(new WebhookSchedule(STANDARD, 0.1, Duration.ofHours(1), () -> 0.0).delayBefore(2, null))
                .hasValue(4_500);
        assertThat(new WebhookSchedule(STANDARD, 0.1, Duration.ofHours(1), () -> 0.999_999).delayBefore(2, null)
                .getAsLong()).isBetween(5_499L, 5_500L);
    }

    @Test
    void retryAfterIsHonouredWhenLongerAndCapped() {
        WebhookSchedule schedule = new WebhookSchedule(STANDARD, 0, Duration.ofMinutes(10), () -> 0.5);
        assertThat(schedule.delayBefore(2, 60L)).hasValue(60_000);
        assertThat(schedule.delayBefore(3, 1L)).hasValue(300_000);
        assertThat(schedule.delayBefore(2, 86_400L)).hasValue(600_000);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(WebhookDispatcher.retryAfterSeconds("120")).isEqualTo(120L);
        assertThat(WebhookDispatcher.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(WebhookDispatcher.retryAfterSeconds("soon")).isNull();
        assertThat(WebhookDispatcher.retryAfterSeconds(null)).isNull();
    }

    @Test
    void aScheduleNeedsAnAttemptAndSaneJitter() {
        assertThatThrownBy(() -> new WebhookSchedule(List.of(), 0.1, Duration.ZERO, () -> 0.5))
                .hasMessageContaining("at least one attempt");
        assertThatThrownBy(() -> new WebhookSchedule(STANDARD, 0.9, Duration.ZERO, () -> 0.5))
                .hasMessageContaining("jitter");
    }
}

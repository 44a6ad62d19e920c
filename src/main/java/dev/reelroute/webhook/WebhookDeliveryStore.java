package dev.reelroute.webhook;

import dev.reelroute.config.Texts;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Every delivery attempt, successful or not, is a row. */
@Component
public class WebhookDeliveryStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public WebhookDeliveryStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String jobId, String eventId, int attempt, String url, Integer statusCode, Long latencyMs,
                       String error, String outcome) {
        jdbc.update("""
                INSERT INTO webhook_deliveries (job_id, event_id, attempt, url, status_code, latency_ms, error, outcome,
                                                attempted_at)
                VALUES (:jobId, :eventId, :attempt, :url, :status, :latency, :error, :outcome, :now)""",
                new MapSqlParameterSource("jobId", jobId)
                        .addValue("eventId", eventId)
                        .addValue("attempt", attempt)
                        .addValue("url", url)
                        .addValue("status", statusCode)
                        .addValue("latency", latencyMs)
                        .addValue("error", Texts.bounded(error, 1000))
                        .addValue("outcome", outcome)
                        .addValue("now", Timestamp.from(clock.instant())));
    }

    public List<WebhookDelivery> forJob(String jobId) {
        return jdbc.query("SELECT * FROM webhook_deliveries WHERE job_id = :jobId ORDER BY id",
                new MapSqlParameterSource("jobId", jobId),
                (rs, i) -> new WebhookDelivery(rs.getLong("id"), rs.getString("job_id"), rs.getString("event_id"),
                        rs.getInt("attempt"), rs.getString("url"), (Integer) rs.getObject("status_code", Integer.class),
                        (Long) rs.getObject("latency_ms", Long.class), rs.getString("error"), rs.getString("outcome"),
                        rs.getTimestamp("attempted_at").toInstant()));
    }
}

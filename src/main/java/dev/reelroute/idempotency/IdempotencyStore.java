package dev.reelroute.idempotency;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The idempotency_keys table. A key is claimed by inserting its row (the unique (account_id, idem_key) decides
 * between concurrent requests), completed with the job and the answer, or released when the request failed.
 */
@Component
public class IdempotencyStore {
    private final NamedParameterJdbcTemplate jdbc;

    public IdempotencyStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A key's row; {@code jobId} is null while the first request is still being made. */
    public record Entry(String fingerprint, String jobId, Integer statusCode, String responseBody,
                        Instant createdAt) {
        public boolean completed() {
            return jobId != null;
        }
    }

    /** True when this call took the key; false when a row for it already exists. */
    public boolean tryClaim(String accountId, String key, String fingerprint, Instant now) {
        try {
            jdbc.update("""
                    INSERT INTO idempotency_keys (account_id, idem_key, fingerprint, created_at)
                    VALUES (:accountId, :key, :fingerprint, :createdAt)""",
                    keyParams(accountId, key).addValue("fingerprint", fingerprint)
                            .addValue("createdAt", Timestamp.from(now.truncatedTo(ChronoUnit.MILLIS))));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    public Optional<Entry> find(String accountId, String key) {
        List<Entry> rows = jdbc.query("""
                SELECT fingerprint, job_id, status_code, response_body, created_at FROM idempotency_keys
                WHERE account_id = :accountId AND idem_key = :key""",
                keyParams(accountId, key),
                (rs, row) -> new Entry(rs.getString("fingerprint"), rs.getString("job_id"),
                        (Integer) rs.getObject("status_code", Integer.class), rs.getString("response_body"),
                        rs.getTimestamp("created_at").toInstant()));
        return rows.stream().findFirst();
    }

    /** Records the job the claimed request made and the answer it gave. */
    public void complete(String accountId, String key, String jobId, Integer statusCode, String responseBody) {
        jdbc.update("""
                UPDATE idempotency_keys SET job_id = :jobId, status_code = :statusCode, response_body = :body
                WHERE account_id = :accountId AND idem_key = :key""",
                keyParams(accountId, key).addValue("jobId", jobId).addValue("statusCode", statusCode)
                        .addValue("body", responseBody));
    }

    /** Frees a key whose request made no job (it was refused or failed), so the client can try again. */
    public void release(String accountId, String key, String fingerprint) {
        jdbc.update("""
                DELETE FROM idempotency_keys
                WHERE account_id = :accountId AND idem_key = :key AND fingerprint = :fingerprint AND job_id IS NULL""",
                keyParams(accountId, key).addValue("fingerprint", fingerprint));
    }

    /** Removes one key's row if it was created before {@code cutoff} (it expired); true when a row went. */
    public boolean deleteIfCreatedBefore(String accountId, String key, Instant cutoff) {
        return jdbc.update("""
                DELETE FROM idempotency_keys
                WHERE account_id = :accountId AND idem_key = :key AND created_at < :cutoff""",
                keyParams(accountId, key).addValue("cutoff", Timestamp.from(cutoff))) > 0;
    }

    private static MapSqlParameterSource keyParams(String accountId, String key) {
        return new MapSqlParameterSource("accountId", accountId).addValue("key", key);
    }
}

package dev.reelroute.job;

import dev.reelroute.config.Ids;
import dev.reelroute.config.Texts;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The jobs table. Bound parameters only; every state change is a conditional UPDATE so two instances (or a
 * cancel racing a worker) can never both win.
 */
@Component("jobStore")
public class JobStore implements LeaseStore {
    private static final int MAX_LOG_LINES_PER_JOB = 500;
    private static final int MAX_MESSAGE_LENGTH = JobSteps.MAX_MESSAGE_LENGTH;
    /** The account-wide lists and counts leave project runs out: /api/runs is where a run is read. */
    private static final String NOT_A_RUN = " AND kind <> '" + Job.KIND_VIDEO_PROJECT + "'";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public JobStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Inserts the job as PENDING unless the key already has {@code maxActivePerKey} active jobs. The key row is
     * locked first so two concurrent submissions with one key cannot both pass the check. A job without a key
     * (a JWT caller) would count against nothing, so it is refused rather than let past the limit.
     */
    public Job insertPending(NewJob job, int maxActivePerKey) {
        if (job.apiKeyId() == null) {
            throw new IllegalArgumentException("insertPending limits active jobs per API key; this job has none");
        }
        return transactions.execute(status -> {
            jdbc.queryForList("SELECT id FROM api_keys WHERE id = :keyId FOR UPDATE",
                    new MapSqlParameterSource("keyId", job.apiKeyId()), String.class);
            Integer active = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM jobs WHERE api_key_id = :keyId AND status IN ('PENDING', 'PROCESSING')",
                    new MapSqlParameterSource("keyId", job.apiKeyId()), Integer.class);
            if (active != null && active >= maxActivePerKey) {
                throw new ActiveJobLimitException(maxActivePerKey);
            }
            insert(job);
            return find(job.id()).orElseThrow();
        });
    }

    /**
     * Inserts a job as PENDING unless the account already has {@code maxActivePerAccount} active jobs of that kind
     * (a generate or style-transfer job). The account row is locked first, so concurrent submissions serialize on
     * it. A video job, which is charged, is inserted by the route charge-job, which checks the same limit the same
     * way in the transaction of its charge.
     */
    public Job insertPendingForAccount(NewJob job, int maxActivePerAccount) {
        return transactions.execute(status -> {
            jdbc.queryForList("SELECT id FROM accounts WHERE id = :accountId FOR UPDATE",
                    new MapSqlParameterSource("accountId", job.accountId()), String.class);
            Integer active = jdbc.queryForObject("""
                    SELECT COUNT(*) FROM jobs
                    WHERE account_id = :accountId AND kind = :kind AND status IN ('PENDING', 'PROCESSING')""",
                    new MapSqlParameterSource("accountId", job.accountId()).addValue("kind", job.kind()),
                    Integer.class);
            if (active != null && active >= maxActivePerAccount) {
                throw new ActiveJobLimitException(maxActivePerAccount);
            }
            insert(job);
            return find(job.id()).orElseThrow();
        });
    }

    /**
     * Inserts a job as PENDING with no limit of active jobs of its own: a video project's run, of which its project
     * allows one at a time, or a video job whose account's limit charge-job has checked. Call inside the transaction
     * that makes the rest of it.
     */
    public void insertPendingUnlimited(NewJob job) {
        insert(job);
    }

    private void insert(NewJob job) {
        PromptSpec prompt = job.prompt();
        jdbc.update("""
                INSERT INTO jobs (id, account_id, api_key_id, kind, status, progress, stage, status_message,
                                  retries, webhook_url, input_image_key, input_audio_key, duration_ms,
                                  share_token, created_at, updated_at, prompt, script, model, resolution,
                                  aspect_ratio, duration_seconds, mock_mode, generate_audio, end_frame_key,
                                  reference_image_keys, provider, tokens_consumed, source_video_id,
                                  template_video_id, style_config, webhook_events)
                VALUES (:id, :accountId, :apiKeyId, :kind, 'PENDING', 0, 'queued', 'Job queued for processing', 0,
                        :webhookUrl, :imageKey, :audioKey, :durationMs, :shareToken, :now, :now, :prompt, :script,
                        :model, :resolution, :aspectRatio, :durationSeconds, :mockMode, :generateAudio, :endFrameKey,
                        :referenceImageKeys, :provider, :tokens, :sourceVideoId, :templateVideoId, :styleConfig,
                        :webhookEvents)""",
                new MapSqlParameterSource()
                        .addValue("id", job.id())
                        .addValue("accountId", job.accountId())
                        .addValue("apiKeyId", job.apiKeyId())
                        .addValue("kind", job.kind())
                        .addValue("webhookUrl", job.webhookUrl())
                        .addValue("imageKey", prompt == null ? job.inputImageKey() : prompt.initialImageKey())
                        .addValue("audioKey", job.inputAudioKey())
                        .addValue("durationMs", job.durationMs())
                        .addValue("shareToken", job.shareToken())
                        .addValue("now", Timestamp.from(now()))
                        .addValue("prompt", prompt == null ? null : prompt.prompt())
                        .addValue("script", prompt == null ? null : prompt.script())
                        .addValue("model", prompt == null ? null : prompt.model())
                        .addValue("resolution", prompt == null ? null : prompt.resolution())
                        .addValue("aspectRatio", prompt == null ? null : prompt.aspectRatio())
                        .addValue("durationSeconds", prompt == null ? null : prompt.durationSeconds())
                        .addValue("mockMode", prompt == null ? null : prompt.mockMode())
                        .addValue("generateAudio", prompt != null && prompt.generateAudio())
                        .addValue("endFrameKey", prompt == null ? null : prompt.endFrameKey())
                        .addValue("referenceImageKeys", prompt == null || prompt.referenceImageKeys().isEmpty()
                                ? null : String.join("\n", prompt.referenceImageKeys()))
                        .addValue("provider", job.provider())
                        .addValue("tokens", job.tokensConsumed())
                        .addValue("sourceVideoId", job.style() == null ? null : job.style().sourceVideoId())
                        .addValue("templateVideoId", job.style() == null ? null : job.style().templateVideoId())
                        .addValue("styleConfig", job.style() == null ? null : job.style().configJson())
                        .addValue("webhookEvents", job.webhookEvents()));
    }

    /** The job's webhook events filter as stored (null: the default, the terminal event only). */
    public String webhookEvents(String jobId) {
        List<String> found = jdbc.queryForList("SELECT webhook_events FROM jobs WHERE id = :id",
                new MapSqlParameterSource("id", jobId), String.class);
        return found.isEmpty() ? null : found.get(0);
    }

    public Optional<Job> find(String jobId) {
        return jdbc.query("SELECT * FROM jobs WHERE id = :id", new MapSqlParameterSource("id", jobId), JOB)
                .stream().findFirst();
    }

    /** The jobs of these ids that exist, by id: one query for many. */
    public Map<String, Job> findAll(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.query("SELECT * FROM jobs WHERE id IN (:ids)", new MapSqlParameterSource("ids", jobIds), JOB)
                .stream().collect(Collectors.toMap(Job::id, job -> job));
    }

    public String kindOf(String jobId) {
        return find(jobId).map(Job::kind).orElse(null);
    }

    /** True when a worker ended the job (COMPLETED or FAILED); false when it was cancelled, is gone or still runs. */
    public boolean endedByWorker(String jobId) {
        return find(jobId).map(job -> job.status() == JobStatus.COMPLETED || job.status() == JobStatus.FAILED)
                .orElse(false);
    }

    /** True when the user cancelled or deleted the job while a worker had it: the worker stops there. */
    public boolean stoppedByUser(String jobId) {
        return find(jobId).map(job -> job.status() == JobStatus.CANCELLED).orElse(true);
    }

    /** The job only if it belongs to the account: another account's job is indistinguishable from none. */
    public Optional<Job> findForAccount(String jobId, String accountId) {
        return jdbc.query("SELECT * FROM jobs WHERE id = :id AND account_id = :accountId",
                new MapSqlParameterSource("id", jobId).addValue("accountId", accountId), JOB).stream().findFirst();
    }

    /**
     * A surface's lookup of the caller's job: empty when the id is not of the shape reelroute makes (it never
     * reaches the database), the job is another account's, or it is not of {@code kind} (null: any kind).
     */
    public Optional<Job> findOwned(String jobId, String accountId, String kind) {
        if (!Ids.isWellFormed(jobId)) {
            return Optional.empty();
        }
        return findForAccount(jobId, accountId).filter(job -> kind == null || kind.equals(job.kind()));
    }

    public Optional<Job> findByShareToken(String shareToken) {
        return jdbc.query("SELECT * FROM jobs WHERE share_token = :token",
                new MapSqlParameterSource("token", shareToken), JOB).stream().findFirst();
    }

    /**
     * Newest first, keyset-paginated on (created_at, id). The cursor is the id of the last job of the previous
     * page; an unknown cursor (or one of another account) yields empty.
     */
    public Optional<JobPage> list(String accountId, JobStatus status, String cursor, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("accountId", accountId)
                .addValue("limit", limit + 1)
                .addValue("status", status == null ? null : status.name());
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE account_id = :accountId" + NOT_A_RUN);
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (cursor != null) {
            Optional<Job> after = findForAccount(cursor, accountId);
            if (after.isEmpty()) {
                return Optional.empty();
            }
            params.addValue("cursorCreated", Timestamp.from(after.get().createdAt())).addValue("cursorId", cursor);
            sql.append(" AND (created_at < :cursorCreated OR (created_at = :cursorCreated AND id < :cursorId))");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        List<Job> rows = jdbc.query(sql.toString(), params, JOB);
        boolean hasNext = rows.size() > limit;
        List<Job> page = hasNext ? rows.subList(0, limit) : rows;
        String nextCursor = hasNext ? page.get(page.size() - 1).id() : null;
        return Optional.of(new JobPage(List.copyOf(page), nextCursor, hasNext));
    }

    /** One page of an account's jobs of one kind, newest first, with the total the filter matches. */
    public record OffsetPage(List<Job> jobs, long total) {}

    public OffsetPage listByOffset(String accountId, String kind, JobStatus status, int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource("accountId", accountId)
                .addValue("kind", kind)
                .addValue("status", status == null ? null : status.name())
                .addValue("limit", limit)
                .addValue("offset", offset);
        String where = "WHERE account_id = :accountId AND kind = :kind" + (status == null ? "" : " AND status = :status");
        List<Job> rows = jdbc.query("SELECT * FROM jobs " + where
                + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset", params, JOB);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM jobs " + where, params, Long.class);
        return new OffsetPage(List.copyOf(rows), total == null ? 0 : total);
    }

    /** The account's latest jobs of every kind but project runs, newest first: the dashboard's list. */
    public List<Job> recentForAccount(String accountId, int limit) {
        return List.copyOf(jdbc.query("SELECT * FROM jobs WHERE account_id = :accountId" + NOT_A_RUN
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit",
                new MapSqlParameterSource("accountId", accountId).addValue("limit", limit), JOB));
    }

    /** Seconds from submission to completion of the latest {@code count} completed jobs of a kind, newest first. */
    public List<Double> recentTurnaroundSeconds(String kind, int count) {
        return jdbc.query("""
                SELECT created_at, completed_at FROM jobs
                WHERE kind = :kind AND status = 'COMPLETED' AND completed_at IS NOT NULL
                ORDER BY completed_at DESC LIMIT :count""",
                new MapSqlParameterSource("kind", kind).addValue("count", count),
                (rs, i) -> (instant(rs, "completed_at").toEpochMilli() - instant(rs, "created_at").toEpochMilli())
                        / 1000.0);
    }

    /** How many jobs of every kind the account has, by status (statuses it has none of are absent). */
    public Map<JobStatus, Long> countByStatus(String accountId) {
        Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS jobs FROM jobs WHERE account_id = :accountId" + NOT_A_RUN
                        + " GROUP BY status",
                new MapSqlParameterSource("accountId", accountId),
                rs -> {
                    counts.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("jobs"));
                });
        return counts;
    }

    /** Jobs of a kind waiting for a worker, on every instance. */
    public long countPending(String kind) {
        Long pending = jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE kind = :kind AND status = 'PENDING'",
                new MapSqlParameterSource("kind", kind), Long.class);
        return pending == null ? 0 : pending;
    }

    /**
     * Cancels a PENDING or PROCESSING job of that account and says which it was; empty when the job is not the
     * account's or is already finished. A worker on a cancelled job notices at its next step and stops.
     */
    public Optional<JobStatus> cancel(String jobId, String accountId) {
        for (JobStatus from : List.of(JobStatus.PENDING, JobStatus.PROCESSING)) {
            int updated = jdbc.update("""
                    UPDATE jobs SET status = 'CANCELLED', stage = 'cancelled', status_message = 'Cancelled by user',
                                    completed_at = :now, updated_at = :now
                    WHERE id = :id AND account_id = :accountId AND status = :from""",
                    new MapSqlParameterSource("id", jobId)
                            .addValue("accountId", accountId)
                            .addValue("from", from.name())
                            .addValue("now", Timestamp.from(now())));
            if (updated == 1) {
                return Optional.of(from);
            }
        }
        return Optional.empty();
    }

    /** Removes the job row with its log lines and delivery records (the token ledger keeps its rows). */
    public boolean delete(String jobId, String accountId) {
        return jdbc.update("DELETE FROM jobs WHERE id = :id AND account_id = :accountId",
                new MapSqlParameterSource("id", jobId).addValue("accountId", accountId)) == 1;
    }

    /** Keeps the StyleJSON a style-transfer job extracted (bounded by the column). */
    public void recordStyleJson(String jobId, String styleJson) {
        if (styleJson != null && styleJson.length() > 16_000) {
            throw new IllegalArgumentException("StyleJSON too large to store: " + styleJson.length() + " characters");
        }
        jdbc.update("UPDATE jobs SET style_json = :style, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", jobId).addValue("style", styleJson)
                        .addValue("now", Timestamp.from(now())));
    }

    /** Remembers the provider's prediction, so a cancel (or a restarted worker) can find it. */
    public void recordProviderJob(String jobId, String provider, String providerJobId) {
        jdbc.update("UPDATE jobs SET provider = :provider, provider_job_id = :providerJobId, updated_at = :now "
                        + "WHERE id = :id",
                new MapSqlParameterSource("id", jobId)
                        .addValue("provider", provider)
                        .addValue("providerJobId", providerJobId)
                        .addValue("now", Timestamp.from(now())));
    }

    @Override
    public void renewLeases(Collection<String> jobIds, String instanceId, Duration lease) {
        if (jobIds.isEmpty()) {
            return;
        }
        jdbc.update("""
                UPDATE jobs SET lease_expires_at = :leaseUntil
                WHERE id IN (:ids) AND status = 'PROCESSING' AND claimed_by = :instance""",
                new MapSqlParameterSource("ids", jobIds).addValue("instance", instanceId)
                        .addValue("leaseUntil", Timestamp.from(now().plus(lease))));
    }

    @Override
    public Set<String> stillHeld(Collection<String> jobIds, String instanceId) {
        if (jobIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "SELECT id FROM jobs WHERE id IN (:ids) AND ((status = 'PROCESSING' AND claimed_by = :instance)"
                        + " OR status = 'COMPLETED')",
                new MapSqlParameterSource("ids", jobIds).addValue("instance", instanceId), String.class));
    }

    /** What a finished render leaves on the job. */
    public record Completion(String videoKey, String thumbnailKey, Long durationMs, BigDecimal costUsd,
                             String statusMessage) {}

    /** Cancels only a PENDING job of that account; false when it does not exist there or is past PENDING. */
    public boolean cancelIfPending(String jobId, String accountId) {
        Instant now = now();
        return jdbc.update("""
                UPDATE jobs SET status = 'CANCELLED', stage = 'cancelled', status_message = 'Cancelled',
                                completed_at = :now, updated_at = :now
                WHERE id = :id AND account_id = :accountId AND status = 'PENDING'""",
                new MapSqlParameterSource("id", jobId)
                        .addValue("accountId", accountId)
                        .addValue("now", Timestamp.from(now))) == 1;
    }

    /** Appends a log line, keeping at most {@value #MAX_LOG_LINES_PER_JOB} per job. */
    public void appendLog(String jobId, String level, String message) {
        MapSqlParameterSource params = new MapSqlParameterSource("id", jobId)
                .addValue("level", level)
                .addValue("message", Texts.bounded(message, MAX_MESSAGE_LENGTH))
                .addValue("now", Timestamp.from(now()));
        // count, then a plain insert: MariaDB fails an INSERT … SELECT that reads the table it fills while other
        // sessions insert (error 1467). Concurrent appends may pass the bound by a line or two; it stays bounded.
        Integer lines = jdbc.queryForObject("SELECT COUNT(*) FROM job_logs WHERE job_id = :id", params, Integer.class);
        if (lines != null && lines >= MAX_LOG_LINES_PER_JOB) {
            return;
        }
        try {
            jdbc.update("INSERT INTO job_logs (job_id, logged_at, level, message) VALUES (:id, :now, :level, :message)",
                    params);
        } catch (DataIntegrityViolationException jobGone) {
            // the job was deleted meanwhile: its log went with it
        }
    }

    public List<JobLogLine> logs(String jobId) {
        return jdbc.query("SELECT logged_at, level, message FROM job_logs WHERE job_id = :id ORDER BY id",
                new MapSqlParameterSource("id", jobId),
                (rs, i) -> new JobLogLine(instant(rs, "logged_at"), rs.getString("level"), rs.getString("message")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<Job> JOB = (rs, rowNum) -> new Job(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("api_key_id"),
            rs.getString("kind"),
            JobStatus.valueOf(rs.getString("status")),
            rs.getInt("progress"),
            rs.getString("stage"),
            rs.getString("status_message"),
            rs.getString("error_message"),
            rs.getInt("retries"),
            rs.getString("webhook_url"),
            rs.getString("input_image_key"),
            rs.getString("input_audio_key"),
            (Long) rs.getObject("duration_ms", Long.class),
            rs.getString("output_video_key"),
            rs.getString("thumbnail_key"),
            rs.getString("share_token"),
            instant(rs, "created_at"),
            instant(rs, "updated_at"),
            instant(rs, "started_at"),
            instant(rs, "completed_at"),
            promptSpec(rs),
            rs.getString("provider"),
            rs.getString("provider_job_id"),
            rs.getLong("tokens_consumed"),
            rs.getBigDecimal("cost_usd"),
            (Long) rs.getObject("output_duration_ms", Long.class),
            Job.KIND_STYLE_TRANSFER.equals(rs.getString("kind"))
                    ? new StyleSpec(rs.getString("source_video_id"), rs.getString("template_video_id"),
                            rs.getString("style_config"), rs.getString("style_json"))
                    : null);

    private static PromptSpec promptSpec(ResultSet rs) throws SQLException {
        String kind = rs.getString("kind");
        if (!Job.KIND_VIDEO_JOB.equals(kind) && !Job.KIND_GENERATE.equals(kind)) {
            return null;
        }
        String references = rs.getString("reference_image_keys");
        Integer duration = (Integer) rs.getObject("duration_seconds", Integer.class);
        return new PromptSpec(rs.getString("prompt"), rs.getString("script"), rs.getString("model"),
                rs.getString("resolution"), rs.getString("aspect_ratio"), duration == null ? 0 : duration,
                Boolean.TRUE.equals(rs.getObject("mock_mode", Boolean.class)), rs.getBoolean("generate_audio"),
                rs.getString("input_image_key"), rs.getString("end_frame_key"),
                references == null || references.isBlank() ? List.of() : List.of(references.split("\n")));
    }
}

package dev.reelroute.project;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Projects, their clips and their runs. A run is a job of kind video-project: its state is its job row's
 * ({@link JobStore}); its own row keeps its project, public token, provider and cost. Bound parameters only; state
 * changes are conditional UPDATEs. The stages a run goes through (its clips queued, a clip taken, started, made or
 * failed, the last clip in, the compile, the run completed or failed with its project) are camel-sql steps of their own
 * (project-run-stages.camel.yaml); this store starts runs and keeps projects, and reads them for the API.
 */
@Component("projectStore")
public class ProjectStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final JobStore jobs;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public ProjectStore(NamedParameterJdbcTemplate jdbc, JobStore jobs, TransactionTemplate transactions,
                        Clock clock) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.transactions = transactions;
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    public record NewProject(String id, String accountId, String name, boolean transitionsEnabled, String resolution,
                             String aspectRatio, String musicKey, double musicVolume, boolean ambientEnabled) {}

    public VideoProject insertProject(NewProject p) {
        Timestamp now = now();
        jdbc.update("""
                INSERT INTO video_projects (id, account_id, name, status, transitions_enabled, resolution, aspect_ratio,
                                            music_key, music_volume, ambient_enabled, total_cost, created_at, updated_at)
                VALUES (:id, :accountId, :name, 'draft', :transitions, :resolution, :aspect, :musicKey, :musicVolume,
                        :ambient, 0, :now, :now)""",
                new MapSqlParameterSource("id", p.id())
                        .addValue("accountId", p.accountId())
                        .addValue("name", p.name())
                        .addValue("transitions", p.transitionsEnabled())
                        .addValue("resolution", p.resolution())
                        .addValue("aspect", p.aspectRatio())
                        .addValue("musicKey", p.musicKey())
                        .addValue("musicVolume", p.musicVolume())
                        .addValue("ambient", p.ambientEnabled())
                        .addValue("now", now));
        return findProject(p.id()).orElseThrow();
    }

    public Optional<VideoProject> findProject(String id) {
        return jdbc.query("SELECT * FROM video_projects WHERE id = :id", new MapSqlParameterSource("id", id), PROJECT)
                .stream().findFirst();
    }

    /** The project only if the account owns it: another account's project is indistinguishable from none. */
    public Optional<VideoProject> findProject(String id, String accountId) {
        return jdbc.query("SELECT * FROM video_projects WHERE id = :id AND account_id = :accountId",
                new MapSqlParameterSource("id", id).addValue("accountId", accountId), PROJECT).stream().findFirst();
    }

    public List<VideoProject> listProjects(String accountId, int limit) {
        return jdbc.query("SELECT * FROM video_projects WHERE account_id = :accountId "
                        + "ORDER BY created_at DESC, id DESC LIMIT :limit",
                new MapSqlParameterSource("accountId", accountId).addValue("limit", limit), PROJECT);
    }

    public List<ProjectClip> clips(String projectId) {
        return jdbc.query("SELECT * FROM project_clips WHERE project_id = :projectId ORDER BY position, id",
                new MapSqlParameterSource("projectId", projectId), CLIP);
    }

    public int countClips(String projectId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM project_clips WHERE project_id = :projectId",
                new MapSqlParameterSource("projectId", projectId), Integer.class);
    }

    /** Appends the clip at the end of the project. */
    public ProjectClip addClip(String clipId, String projectId, String imageKey, int width, int height,
                               String motionPrompt, double durationSeconds) {
        return transactions.execute(status -> {
            lockProject(projectId);
            Integer next = jdbc.queryForObject(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM project_clips WHERE project_id = :projectId",
                    new MapSqlParameterSource("projectId", projectId), Integer.class);
            jdbc.update("""
                    INSERT INTO project_clips (id, project_id, position, image_key, image_width, image_height,
                                               motion_prompt, duration_seconds, created_at)
                    VALUES (:id, :projectId, :position, :imageKey, :width, :height, :prompt, :duration, :now)""",
                    new MapSqlParameterSource("id", clipId)
                            .addValue("projectId", projectId)
                            .addValue("position", next)
                            .addValue("imageKey", imageKey)
                            .addValue("width", width)
                            .addValue("height", height)
                            .addValue("prompt", motionPrompt)
                            .addValue("duration", durationSeconds)
                            .addValue("now", now()));
            touch(projectId);
            return clips(projectId).stream().filter(c -> c.id().equals(clipId)).findFirst().orElseThrow();
        });
    }

    /** Puts the clips in the given order; the list must name every clip of the project exactly once. */
    public boolean reorder(String projectId, List<String> clipIds) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            lockProject(projectId);
            List<String> current = clips(projectId).stream().map(ProjectClip::id).sorted().toList();
            if (!current.equals(clipIds.stream().sorted().toList())) {
                return false;
            }
            for (int i = 0; i < clipIds.size(); i++) {
                jdbc.update("UPDATE project_clips SET position = :position WHERE id = :id AND project_id = :projectId",
                        new MapSqlParameterSource("position", i).addValue("id", clipIds.get(i))
                                .addValue("projectId", projectId));
            }
            touch(projectId);
            return true;
        }));
    }

    /** Removes the clip and closes the gap it leaves; returns its image key (null when there was no such clip). */
    public String removeClip(String projectId, String clipId) {
        return transactions.execute(status -> {
            lockProject(projectId);
            Optional<ProjectClip> clip = clips(projectId).stream().filter(c -> c.id().equals(clipId)).findFirst();
            if (clip.isEmpty()) {
                return null;
            }
            jdbc.update("DELETE FROM project_clips WHERE id = :id", new MapSqlParameterSource("id", clipId));
            jdbc.update("UPDATE project_clips SET position = position - 1 WHERE project_id = :projectId AND position > :position",
                    new MapSqlParameterSource("projectId", projectId).addValue("position", clip.get().position()));
            touch(projectId);
            return clip.get().imageKey();
        });
    }

    public record NewRun(String id, String projectId, String accountId, String publicTokenHash, Instant tokenExpiresAt,
                         String provider) {}

    public enum StartOutcome { STARTED, NO_CLIPS, ALREADY_RUNNING }

    /**
     * Starts a run: a PENDING job of kind video-project (the run's status, progress, stage, log and lease), the run's
     * own row (its project, token, provider, cost), the project's clips frozen into it, and the project marked
     * generating. One run of a project at a time: the project row is locked, so two concurrent triggers cannot both
     * start one.
     */
    public StartOutcome startRun(NewRun run) {
        return transactions.execute(status -> {
            lockProject(run.projectId());
            VideoProject project = findProject(run.projectId()).orElseThrow();
            if (project.status().equals(VideoProject.GENERATING) || project.status().equals(VideoProject.COMPILING)) {
                return StartOutcome.ALREADY_RUNNING;
            }
            List<ProjectClip> clips = clips(run.projectId());
            if (clips.isEmpty()) {
                return StartOutcome.NO_CLIPS;
            }
            Timestamp now = now();
            // a run has no API key, webhook or share page ("run:" is no share token's shape)
            jobs.insertPendingUnlimited(new NewJob(run.id(), run.accountId(), null, Job.KIND_VIDEO_PROJECT, null, null,
                    null, 0, "run:" + run.id(), null, run.provider(), 0));
            jdbc.update("""
                    INSERT INTO project_runs (id, project_id, account_id, public_token_hash, token_expires_at, provider,
                                              cost, created_at)
                    VALUES (:id, :projectId, :accountId, :tokenHash, :expires, :provider, 0, :now)""",
                    new MapSqlParameterSource("id", run.id())
                            .addValue("projectId", run.projectId())
                            .addValue("accountId", run.accountId())
                            .addValue("tokenHash", run.publicTokenHash())
                            .addValue("expires", Timestamp.from(run.tokenExpiresAt()))
                            .addValue("provider", run.provider())
                            .addValue("now", now));
            for (int i = 0; i < clips.size(); i++) {
                ProjectClip clip = clips.get(i);
                jdbc.update("""
                        INSERT INTO run_clips (run_id, position, clip_id, image_key, image_width, image_height,
                                               motion_prompt, duration_seconds, status, attempts)
                        VALUES (:runId, :position, :clipId, :imageKey, :width, :height, :prompt, :duration, 'pending', 0)""",
                        new MapSqlParameterSource("runId", run.id())
                                .addValue("position", i)
                                .addValue("clipId", clip.id())
                                .addValue("imageKey", clip.imageKey())
                                .addValue("width", clip.imageWidth())
                                .addValue("height", clip.imageHeight())
                                .addValue("prompt", clip.motionPrompt())
                                .addValue("duration", clip.durationSeconds()));
            }
            jdbc.update("""
                    UPDATE video_projects SET status = 'generating', current_run_id = :runId, error_message = NULL,
                                              updated_at = :now
                    WHERE id = :projectId""",
                    new MapSqlParameterSource("runId", run.id()).addValue("projectId", run.projectId())
                            .addValue("now", now));
            return StartOutcome.STARTED;
        });
    }

    /**
     * The run as /api/runs shows it: its job's state in the run's words (PENDING is queued; PROCESSING is generating
     * while a clip is not made, then compiling; FAILED and CANCELLED are failed), its stage the same.
     */
    public Optional<ProjectRun> findRun(String runId) {
        return jdbc.query("""
                SELECT r.id, r.project_id, r.account_id, r.public_token_hash, r.token_expires_at, r.provider, r.cost,
                       j.progress, j.error_message, j.created_at, j.updated_at, j.started_at, j.completed_at,
                       CASE j.status WHEN 'PENDING' THEN 'queued' WHEN 'COMPLETED' THEN 'completed'
                                     WHEN 'PROCESSING' THEN CASE WHEN EXISTS (SELECT 1 FROM run_clips c
                                                                              WHERE c.run_id = r.id
                                                                                AND c.status <> 'completed')
                                                                 THEN 'generating' ELSE 'compiling' END
                                     ELSE 'failed' END AS run_status
                FROM project_runs r JOIN jobs j ON j.id = r.id WHERE r.id = :id""",
                new MapSqlParameterSource("id", runId), RUN).stream().findFirst();
    }

    public List<RunClip> runClips(String runId) {
        return jdbc.query("SELECT * FROM run_clips WHERE run_id = :runId ORDER BY position",
                new MapSqlParameterSource("runId", runId), RUN_CLIP);
    }

    /**
     * Of these clips (being rendered here), the ones that may go on: already made (their route is finishing), or of a
     * run still running and still this instance's. The rest belong to a run that failed or was deleted, or were
     * taken over.
     */
    public Set<ClipWork> clipsStillHeld(Collection<ClipWork> clips, String instanceId) {
        if (clips.isEmpty()) {
            return Set.of();
        }
        Set<String> runIds = new HashSet<>();
        clips.forEach(clip -> runIds.add(clip.runId()));
        Set<ClipWork> held = new HashSet<>(jdbc.query("""
                SELECT c.run_id, c.position FROM run_clips c JOIN jobs r ON r.id = c.run_id
                WHERE c.run_id IN (:runIds)
                  AND (c.status = 'completed' OR (r.status = 'PROCESSING' AND c.rendered_by = :instance))""",
                new MapSqlParameterSource("runIds", runIds).addValue("instance", instanceId),
                (rs, i) -> new ClipWork(rs.getString("run_id"), rs.getInt("position"))));
        held.retainAll(clips);
        return held;
    }

    public void appendRunLog(String runId, String level, String message) {
        jobs.appendLog(runId, level, message);
    }

    public List<JobLogLine> runLogs(String runId) {
        return jobs.logs(runId);
    }

    /** Totals of an account: projects, runs, and what they cost. */
    public record Usage(int projects, int runs, int completedRuns, BigDecimal totalCost) {}

    public Usage usage(String accountId) {
        MapSqlParameterSource params = new MapSqlParameterSource("accountId", accountId);
        Integer projects = jdbc.queryForObject("SELECT COUNT(*) FROM video_projects WHERE account_id = :accountId",
                params, Integer.class);
        return jdbc.queryForObject("""
                SELECT COUNT(*) AS runs, COALESCE(SUM(CASE WHEN j.status = 'COMPLETED' THEN 1 ELSE 0 END), 0) AS completed,
                       COALESCE(SUM(r.cost), 0) AS cost
                FROM project_runs r JOIN jobs j ON j.id = r.id WHERE r.account_id = :accountId""", params,
                (rs, i) -> new Usage(projects, rs.getInt("runs"), rs.getInt("completed"), rs.getBigDecimal("cost")));
    }

    private void lockProject(String projectId) {
        jdbc.queryForList("SELECT id FROM video_projects WHERE id = :id FOR UPDATE",
                new MapSqlParameterSource("id", projectId), String.class);
    }

    private void touch(String projectId) {
        jdbc.update("UPDATE video_projects SET updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", projectId).addValue("now", now()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<VideoProject> PROJECT = (rs, i) -> new VideoProject(
            rs.getString("id"), rs.getString("account_id"), rs.getString("name"), rs.getString("status"),
            rs.getBoolean("transitions_enabled"), rs.getString("resolution"), rs.getString("aspect_ratio"),
            rs.getString("music_key"), rs.getDouble("music_volume"), rs.getBoolean("ambient_enabled"),
            rs.getString("final_video_key"), rs.getString("thumbnail_key"), rs.getString("error_message"),
            rs.getBigDecimal("total_cost"), rs.getString("current_run_id"), instant(rs, "created_at"),
            instant(rs, "updated_at"));

    private static final RowMapper<ProjectClip> CLIP = (rs, i) -> new ProjectClip(
            rs.getString("id"), rs.getString("project_id"), rs.getInt("position"), rs.getString("image_key"),
            rs.getInt("image_width"), rs.getInt("image_height"), rs.getString("motion_prompt"),
            rs.getDouble("duration_seconds"), instant(rs, "created_at"));

    private static final RowMapper<ProjectRun> RUN = (rs, i) -> new ProjectRun(
            rs.getString("id"), rs.getString("project_id"), rs.getString("account_id"), rs.getString("run_status"),
            rs.getInt("progress"), rs.getString("run_status"), rs.getString("public_token_hash"),
            instant(rs, "token_expires_at"), rs.getString("provider"), rs.getString("error_message"),
            rs.getBigDecimal("cost"), instant(rs, "created_at"), instant(rs, "updated_at"),
            instant(rs, "started_at"), instant(rs, "completed_at"));

    private static final RowMapper<RunClip> RUN_CLIP = (rs, i) -> new RunClip(
            rs.getString("run_id"), rs.getInt("position"), rs.getString("clip_id"), rs.getString("image_key"),
            rs.getInt("image_width"), rs.getInt("image_height"), rs.getString("motion_prompt"),
            rs.getDouble("duration_seconds"), rs.getString("status"), rs.getInt("attempts"),
            rs.getString("segment_key"), rs.getBigDecimal("clip_cost"), rs.getBigDecimal("transition_cost"),
            rs.getString("error_message"), rs.getString("rendered_by"));
}

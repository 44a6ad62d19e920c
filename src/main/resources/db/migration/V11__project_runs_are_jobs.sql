-- A video project's run is a job of kind video-project (issue 15): its status, progress, stage, log, lease and
-- take-overs live on its jobs row (id: the run id, account: the project's), which job-orchestrate claims like any
-- job's. project_runs keeps what is the run's own: its project, its public access token, its provider and its cost.
-- The live runs are copied: queued is PENDING, generating and compiling are PROCESSING (the stage says which),
-- completed is COMPLETED, failed is FAILED. A run has no API key and no share page ("run:" cannot be a share token).
-- A run whose clips were on the clip queue keeps no lease: its lease is its time limit from its start.

INSERT INTO jobs (id, account_id, api_key_id, kind, status, progress, stage, status_message, error_message, retries,
                  share_token, created_at, updated_at, started_at, completed_at, claimed_by, lease_expires_at,
                  enqueued_at)
SELECT id, account_id, NULL, 'video-project',
       CASE status WHEN 'queued' THEN 'PENDING' WHEN 'completed' THEN 'COMPLETED' WHEN 'failed' THEN 'FAILED'
                   ELSE 'PROCESSING' END,
       progress, stage, stage, error_message, takeovers, CONCAT('run:', id), created_at, updated_at, started_at,
       completed_at, claimed_by,
       CASE WHEN status = 'generating' AND clips_queued_at IS NOT NULL AND claimed_by IS NULL
            THEN TIMESTAMPADD(MINUTE, 30, COALESCE(started_at, created_at)) ELSE lease_expires_at END,
       enqueued_at
FROM project_runs;

INSERT INTO job_logs (job_id, logged_at, level, message)
SELECT run_id, logged_at, level, message FROM run_logs ORDER BY id;

DROP TABLE run_logs;

ALTER TABLE project_runs ADD CONSTRAINT fk_project_runs_job FOREIGN KEY (id) REFERENCES jobs (id) ON DELETE CASCADE;

DROP INDEX ix_project_runs_status_lease ON project_runs;
ALTER TABLE project_runs DROP COLUMN status;
ALTER TABLE project_runs DROP COLUMN progress;
ALTER TABLE project_runs DROP COLUMN stage;
ALTER TABLE project_runs DROP COLUMN error_message;
ALTER TABLE project_runs DROP COLUMN updated_at;
ALTER TABLE project_runs DROP COLUMN started_at;
ALTER TABLE project_runs DROP COLUMN completed_at;
ALTER TABLE project_runs DROP COLUMN lease_expires_at;
ALTER TABLE project_runs DROP COLUMN enqueued_at;
ALTER TABLE project_runs DROP COLUMN takeovers;
ALTER TABLE project_runs DROP COLUMN claimed_by;
ALTER TABLE project_runs DROP COLUMN clips_queued_at;

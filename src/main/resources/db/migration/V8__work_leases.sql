-- Work leases (see ReelrouteProperties.Recovery): a worker renews lease_expires_at while it works on a job or a
-- project run; when the lease lapses (the worker died), the work can be taken over. enqueued_at is when the id was
-- last handed to the queue (NULL: at creation), so work whose message was lost is sent again.

ALTER TABLE jobs ADD COLUMN lease_expires_at TIMESTAMP(3) NULL;
ALTER TABLE jobs ADD COLUMN enqueued_at TIMESTAMP(3) NULL;
CREATE INDEX ix_jobs_status_lease ON jobs (status, lease_expires_at);

ALTER TABLE project_runs ADD COLUMN lease_expires_at TIMESTAMP(3) NULL;
ALTER TABLE project_runs ADD COLUMN enqueued_at TIMESTAMP(3) NULL;
ALTER TABLE project_runs ADD COLUMN takeovers INT NOT NULL DEFAULT 0;
ALTER TABLE project_runs ADD COLUMN claimed_by VARCHAR(100) NULL;
CREATE INDEX ix_project_runs_status_lease ON project_runs (status, lease_expires_at);

-- work in progress when this version was installed: its lease counts as lapsed at its last update
UPDATE jobs SET lease_expires_at = updated_at WHERE status = 'PROCESSING';
UPDATE project_runs SET lease_expires_at = updated_at WHERE status IN ('generating', 'compiling');

-- Prompt jobs: /api/v1/video-jobs (seed 003) and /api/generate (seed 002) share the jobs table with /api/jobs.

-- a caller authenticated with a JWT has no API key
ALTER TABLE jobs MODIFY api_key_id VARCHAR(32) NULL;

ALTER TABLE jobs ADD COLUMN prompt VARCHAR(2000) NULL;
ALTER TABLE jobs ADD COLUMN script VARCHAR(1000) NULL;
ALTER TABLE jobs ADD COLUMN model VARCHAR(100) NULL;
ALTER TABLE jobs ADD COLUMN resolution VARCHAR(8) NULL;
ALTER TABLE jobs ADD COLUMN aspect_ratio VARCHAR(8) NULL;
-- the requested video length; duration_ms stays the length of an image + audio job's audio
ALTER TABLE jobs ADD COLUMN duration_seconds INT NULL;
ALTER TABLE jobs ADD COLUMN mock_mode BOOLEAN NULL;
ALTER TABLE jobs ADD COLUMN generate_audio BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE jobs ADD COLUMN end_frame_key VARCHAR(300) NULL;
-- storage keys, one per line (at most 3)
ALTER TABLE jobs ADD COLUMN reference_image_keys VARCHAR(1000) NULL;
-- who makes the video: local, replicate, fal; and the provider's id for the prediction
ALTER TABLE jobs ADD COLUMN provider VARCHAR(32) NULL;
ALTER TABLE jobs ADD COLUMN provider_job_id VARCHAR(500) NULL;
ALTER TABLE jobs ADD COLUMN tokens_consumed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cost_usd DECIMAL(12, 4) NULL;
ALTER TABLE jobs ADD COLUMN output_duration_ms BIGINT NULL;

CREATE INDEX ix_jobs_account_kind_status ON jobs (account_id, kind, status);

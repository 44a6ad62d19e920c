-- Which instance's worker took the job (and, after a takeover, which one finished it): operators see where a job
-- ran, and a job can be shown to have run on exactly one instance.
ALTER TABLE jobs ADD COLUMN claimed_by VARCHAR(100) NULL;

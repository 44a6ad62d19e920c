-- Clips as broker work (issue 19): every instance renders clips of any run from the queue reelroute.clips.
-- rendered_by: the instance that took the clip last (set when it takes the clip); takeovers: how often the clip
-- was taken while another instance had it (that instance died). clips_queued_at: when the run's clips were put on the
-- queue; from then until its compile no instance holds the run (the broker holds its clips), so it has no lease.

ALTER TABLE run_clips ADD COLUMN rendered_by VARCHAR(100) NULL;
ALTER TABLE run_clips ADD COLUMN takeovers INT NOT NULL DEFAULT 0;
ALTER TABLE project_runs ADD COLUMN clips_queued_at TIMESTAMP(3) NULL;

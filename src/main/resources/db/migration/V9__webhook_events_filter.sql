-- Which events a job's webhook receives (webhookEventsFilter / webhook_events_filter): a comma-separated list of
-- start, progress, completed. NULL keeps the behaviour from before the filter: the terminal event only.
ALTER TABLE jobs ADD COLUMN webhook_events VARCHAR(64) NULL;

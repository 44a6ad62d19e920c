-- MySQL dialect that also runs on H2 in MySQL mode (MODE=MySQL;DATABASE_TO_LOWER=TRUE).

CREATE TABLE accounts (
    id              VARCHAR(32)  NOT NULL PRIMARY KEY,
    name            VARCHAR(200) NOT NULL,
    webhook_secret  VARCHAR(200) NOT NULL,
    token_balance   BIGINT       NOT NULL DEFAULT 0,
    max_active_jobs_per_key INT  NOT NULL DEFAULT 1,
    created_at      TIMESTAMP(3) NOT NULL
);

CREATE TABLE api_keys (
    id              VARCHAR(32)  NOT NULL PRIMARY KEY,
    account_id      VARCHAR(32)  NOT NULL,
    key_hash        CHAR(64)     NOT NULL,
    key_prefix      VARCHAR(16)  NOT NULL,
    label           VARCHAR(200),
    active          BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMP(3) NOT NULL,
    deactivated_at  TIMESTAMP(3) NULL,
    CONSTRAINT uq_api_keys_hash UNIQUE (key_hash),
    CONSTRAINT fk_api_keys_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);

CREATE TABLE jobs (
    id               VARCHAR(32)   NOT NULL PRIMARY KEY,
    account_id       VARCHAR(32)   NOT NULL,
    api_key_id       VARCHAR(32)   NOT NULL,
    kind             VARCHAR(32)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    progress         INT           NOT NULL DEFAULT 0,
    stage            VARCHAR(32)   NOT NULL,
    status_message   VARCHAR(500),
    error_message    VARCHAR(2000),
    retries          INT           NOT NULL DEFAULT 0,
    webhook_url      VARCHAR(2048),
    input_image_key  VARCHAR(300),
    input_audio_key  VARCHAR(300),
    duration_ms      BIGINT,
    output_video_key VARCHAR(300),
    thumbnail_key    VARCHAR(300),
    share_token      VARCHAR(64)   NOT NULL,
    created_at       TIMESTAMP(3)  NOT NULL,
    updated_at       TIMESTAMP(3)  NOT NULL,
    started_at       TIMESTAMP(3)  NULL,
    completed_at     TIMESTAMP(3)  NULL,
    CONSTRAINT uq_jobs_share_token UNIQUE (share_token),
    CONSTRAINT fk_jobs_account FOREIGN KEY (account_id) REFERENCES accounts (id),
    CONSTRAINT fk_jobs_api_key FOREIGN KEY (api_key_id) REFERENCES api_keys (id)
);
CREATE INDEX ix_jobs_account_created ON jobs (account_id, created_at, id);
CREATE INDEX ix_jobs_key_status ON jobs (api_key_id, status);

CREATE TABLE job_logs (
    id         BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id     VARCHAR(32)   NOT NULL,
    logged_at  TIMESTAMP(3)  NOT NULL,
    level      VARCHAR(8)    NOT NULL,
    message    VARCHAR(1000) NOT NULL,
    CONSTRAINT fk_job_logs_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
);
CREATE INDEX ix_job_logs_job ON job_logs (job_id, id);

CREATE TABLE webhook_deliveries (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id        VARCHAR(32)   NOT NULL,
    event_id      VARCHAR(64)   NOT NULL,
    attempt       INT           NOT NULL,
    url           VARCHAR(2048) NOT NULL,
    status_code   INT           NULL,
    latency_ms    BIGINT        NULL,
    error         VARCHAR(1000) NULL,
    outcome       VARCHAR(16)   NOT NULL,
    attempted_at  TIMESTAMP(3)  NOT NULL,
    CONSTRAINT fk_webhook_deliveries_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
);
CREATE INDEX ix_webhook_deliveries_job ON webhook_deliveries (job_id, id);

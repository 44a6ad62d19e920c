-- Idempotency-Key (REST header, JMS property idempotencyKey): one row per account and key. A row without job_id
-- is a request still being made; the unique key is what lets exactly one of several concurrent requests create
-- the job. response_body is the original answer, replayed as it was.
CREATE TABLE idempotency_keys (
    account_id     VARCHAR(32)   NOT NULL,
    idem_key       VARCHAR(255)  NOT NULL,
    fingerprint    CHAR(64)      NOT NULL,
    job_id         VARCHAR(40)   NULL,
    status_code    INT           NULL,
    response_body  MEDIUMTEXT    NULL,
    created_at     TIMESTAMP(3)  NOT NULL,
    CONSTRAINT uq_idempotency_keys_account_key UNIQUE (account_id, idem_key)
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

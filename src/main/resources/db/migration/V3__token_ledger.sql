-- Tokens (seed 003): every charge, refund and top-up of an account's balance is a ledger row.

CREATE TABLE token_ledger (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id     VARCHAR(32)   NOT NULL,
    job_id         VARCHAR(40)   NULL,
    kind           VARCHAR(16)   NOT NULL,
    amount         BIGINT        NOT NULL,
    balance_after  BIGINT        NOT NULL,
    reason         VARCHAR(300)  NULL,
    created_at     TIMESTAMP(3)  NOT NULL,
    -- a job is charged once and refunded at most once
    CONSTRAINT uq_token_ledger_job_kind UNIQUE (job_id, kind),
    CONSTRAINT fk_token_ledger_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);
CREATE INDEX ix_token_ledger_account ON token_ledger (account_id, id);

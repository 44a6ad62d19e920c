-- Style transfer (seed 004): uploaded videos an account owns, and the style jobs made from them.

CREATE TABLE videos (
    id                VARCHAR(32)   NOT NULL PRIMARY KEY,
    account_id        VARCHAR(32)   NOT NULL,
    storage_key       VARCHAR(300)  NOT NULL,
    container         VARCHAR(16)   NOT NULL,
    size_bytes        BIGINT        NOT NULL,
    duration_ms       BIGINT        NOT NULL,
    width             INT           NOT NULL,
    height            INT           NOT NULL,
    fps               DOUBLE        NOT NULL,
    video_codec       VARCHAR(32)   NOT NULL,
    audio_codec       VARCHAR(32)   NULL,
    has_audio         BOOLEAN       NOT NULL,
    created_at        TIMESTAMP(3)  NOT NULL,
    CONSTRAINT fk_videos_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);
CREATE INDEX ix_videos_account ON videos (account_id, created_at);

ALTER TABLE jobs ADD COLUMN source_video_id VARCHAR(32) NULL;
ALTER TABLE jobs ADD COLUMN template_video_id VARCHAR(32) NULL;
-- the request's config object and the extracted StyleJSON, as JSON text (TEXT: the jobs row is near MySQL's
-- 65535-byte limit for inline columns; the code bounds both)
ALTER TABLE jobs ADD COLUMN style_config TEXT NULL;
ALTER TABLE jobs ADD COLUMN style_json TEXT NULL;

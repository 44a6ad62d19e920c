-- Video projects (seed 000): clips from images with motion prompts, runs with per-clip state, costs.

CREATE TABLE video_projects (
    id                   VARCHAR(40)   NOT NULL PRIMARY KEY,
    account_id           VARCHAR(32)   NOT NULL,
    name                 VARCHAR(200)  NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    transitions_enabled  BOOLEAN       NOT NULL,
    resolution           VARCHAR(8)    NOT NULL,
    aspect_ratio         VARCHAR(8)    NOT NULL,
    music_key            VARCHAR(300)  NULL,
    music_volume         DECIMAL(4,3)  NOT NULL,
    ambient_enabled      BOOLEAN       NOT NULL,
    final_video_key      VARCHAR(300)  NULL,
    thumbnail_key        VARCHAR(300)  NULL,
    error_message        VARCHAR(2000) NULL,
    total_cost           DECIMAL(14,4) NOT NULL DEFAULT 0,
    current_run_id       VARCHAR(40)   NULL,
    created_at           TIMESTAMP(3)  NOT NULL,
    updated_at           TIMESTAMP(3)  NOT NULL,
    CONSTRAINT fk_video_projects_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);
CREATE INDEX ix_video_projects_account ON video_projects (account_id, created_at);

CREATE TABLE project_clips (
    id                VARCHAR(40)   NOT NULL PRIMARY KEY,
    project_id        VARCHAR(40)   NOT NULL,
    position          INT           NOT NULL,
    image_key         VARCHAR(300)  NOT NULL,
    image_width       INT           NOT NULL,
    image_height      INT           NOT NULL,
    motion_prompt     VARCHAR(500)  NULL,
    duration_seconds  DECIMAL(6,2)  NOT NULL,
    created_at        TIMESTAMP(3)  NOT NULL,
    CONSTRAINT fk_project_clips_project FOREIGN KEY (project_id) REFERENCES video_projects (id) ON DELETE CASCADE
);
CREATE INDEX ix_project_clips_project ON project_clips (project_id, position);

CREATE TABLE project_runs (
    id                  VARCHAR(40)   NOT NULL PRIMARY KEY,
    project_id          VARCHAR(40)   NOT NULL,
    account_id          VARCHAR(32)   NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    progress            INT           NOT NULL DEFAULT 0,
    stage               VARCHAR(32)   NOT NULL,
    public_token_hash   CHAR(64)      NOT NULL,
    token_expires_at    TIMESTAMP(3)  NOT NULL,
    provider            VARCHAR(32)   NOT NULL,
    error_message       VARCHAR(2000) NULL,
    cost                DECIMAL(14,4) NOT NULL DEFAULT 0,
    created_at          TIMESTAMP(3)  NOT NULL,
    updated_at          TIMESTAMP(3)  NOT NULL,
    started_at          TIMESTAMP(3)  NULL,
    completed_at        TIMESTAMP(3)  NULL,
    CONSTRAINT fk_project_runs_project FOREIGN KEY (project_id) REFERENCES video_projects (id) ON DELETE CASCADE
);
CREATE INDEX ix_project_runs_project ON project_runs (project_id, created_at);

-- The clips of a run, frozen when the run starts (later edits of the project don't change a running render).
CREATE TABLE run_clips (
    run_id            VARCHAR(40)   NOT NULL,
    position          INT           NOT NULL,
    clip_id           VARCHAR(40)   NOT NULL,
    image_key         VARCHAR(300)  NOT NULL,
    image_width       INT           NOT NULL,
    image_height      INT           NOT NULL,
    motion_prompt     VARCHAR(500)  NULL,
    duration_seconds  DECIMAL(6,2)  NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    attempts          INT           NOT NULL DEFAULT 0,
    segment_key       VARCHAR(300)  NULL,
    clip_cost         DECIMAL(14,4) NOT NULL DEFAULT 0,
    transition_cost   DECIMAL(14,4) NOT NULL DEFAULT 0,
    error_message     VARCHAR(1000) NULL,
    started_at        TIMESTAMP(3)  NULL,
    completed_at      TIMESTAMP(3)  NULL,
    PRIMARY KEY (run_id, position),
    CONSTRAINT fk_run_clips_run FOREIGN KEY (run_id) REFERENCES project_runs (id) ON DELETE CASCADE
);

CREATE TABLE run_logs (
    id         BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_id     VARCHAR(40)   NOT NULL,
    logged_at  TIMESTAMP(3)  NOT NULL,
    level      VARCHAR(8)    NOT NULL,
    message    VARCHAR(1000) NOT NULL,
    CONSTRAINT fk_run_logs_run FOREIGN KEY (run_id) REFERENCES project_runs (id) ON DELETE CASCADE
);
CREATE INDEX ix_run_logs_run ON run_logs (run_id, id);

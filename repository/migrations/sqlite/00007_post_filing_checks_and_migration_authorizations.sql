-- post-filing checks and migration authorizations
-- +goose Up
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL,
    subject_id BIGINT NOT NULL,
    service_id BIGINT NOT NULL DEFAULT 0,
    target VARCHAR(300) NOT NULL,
    reasons VARCHAR(1000) NOT NULL,
    comment VARCHAR(4000) NOT NULL DEFAULT '',
    deadline_at DATETIME NOT NULL,
    status VARCHAR(16) NOT NULL,
    answer_note VARCHAR(4000) NOT NULL DEFAULT '',
    answer_order_id BIGINT NOT NULL DEFAULT 0,
    answered_at DATETIME NULL,
    opened_by BIGINT NOT NULL,
    resolved_by BIGINT NOT NULL DEFAULT 0,
    resolved_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    FOREIGN KEY (subject_id) REFERENCES subjects (id)
);
CREATE INDEX ix_inspections_account ON inspections (account_id, id);
CREATE INDEX ix_inspections_status ON inspections (status, id);
CREATE INDEX ix_inspections_due ON inspections (status, deadline_at);
CREATE TABLE inspection_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id BIGINT NOT NULL,
    event VARCHAR(16) NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    comment VARCHAR(1000) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    FOREIGN KEY (inspection_id) REFERENCES inspections (id)
);
CREATE INDEX ix_inspection_events_inspection ON inspection_events (inspection_id, id);
CREATE TABLE authorizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL,
    from_account_id BIGINT NOT NULL,
    target_account_id BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL,
    code_hash CHAR(64) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    expires_at DATETIME NOT NULL,
    decided_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE UNIQUE INDEX ux_authorizations_order ON authorizations (order_id);
CREATE INDEX ix_authorizations_target ON authorizations (target_account_id, id);

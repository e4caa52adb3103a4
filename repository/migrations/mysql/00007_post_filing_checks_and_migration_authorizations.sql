-- post-filing checks and migration authorizations
-- +goose Up
CREATE TABLE IF NOT EXISTS inspections (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    subject_id BIGINT NOT NULL,
    service_id BIGINT NOT NULL DEFAULT 0,
    target VARCHAR(300) NOT NULL,
    reasons VARCHAR(1000) NOT NULL,
    comment VARCHAR(4000) NOT NULL DEFAULT '',
    deadline_at DATETIME(6) NOT NULL,
    status VARCHAR(16) NOT NULL,
    answer_note VARCHAR(4000) NOT NULL DEFAULT '',
    answer_order_id BIGINT NOT NULL DEFAULT 0,
    answered_at DATETIME(6) NULL,
    opened_by BIGINT NOT NULL,
    resolved_by BIGINT NOT NULL DEFAULT 0,
    resolved_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (subject_id) REFERENCES subjects (id),
    KEY ix_inspections_account (account_id, id),
    KEY ix_inspections_status (status, id),
    KEY ix_inspections_due (status, deadline_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS inspection_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    inspection_id BIGINT NOT NULL,
    event VARCHAR(16) NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    comment VARCHAR(1000) NOT NULL DEFAULT '',
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (inspection_id) REFERENCES inspections (id),
    KEY ix_inspection_events_inspection (inspection_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS authorizations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    from_account_id BIGINT NOT NULL,
    target_account_id BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL,
    code_hash CHAR(64) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    expires_at DATETIME(6) NOT NULL,
    decided_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id),
    UNIQUE KEY ux_authorizations_order (order_id),
    KEY ix_authorizations_target (target_account_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

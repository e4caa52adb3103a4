-- filing
-- +goose Up
CREATE TABLE IF NOT EXISTS subjects (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    live TINYINT NULL,
    status VARCHAR(16) NOT NULL,
    nature INT NOT NULL,
    province CHAR(2) NOT NULL,
    cert_index CHAR(64) NOT NULL,
    info_enc BLOB NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (account_id) REFERENCES users (id),
    UNIQUE KEY ux_subjects_account (account_id, live),
    UNIQUE KEY ux_subjects_cert (cert_index, live)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS services (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    info_enc BLOB NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (subject_id) REFERENCES subjects (id),
    KEY ix_services_subject (subject_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS orders (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    type VARCHAR(32) NOT NULL,
    status VARCHAR(32) NOT NULL,
    province VARCHAR(2) NOT NULL DEFAULT '',
    subject_id BIGINT NULL,
    in_flight TINYINT NULL,
    proposal_enc MEDIUMBLOB NOT NULL,
    version INT NOT NULL,
    submitted_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (account_id) REFERENCES users (id),
    UNIQUE KEY ux_orders_in_flight (account_id, in_flight),
    KEY ix_orders_queue (status, province, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS order_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    event VARCHAR(32) NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    from_status VARCHAR(32) NOT NULL,
    to_status VARCHAR(32) NOT NULL,
    reasons VARCHAR(1000) NOT NULL DEFAULT '',
    comment VARCHAR(2000) NOT NULL DEFAULT '',
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id),
    KEY ix_order_events_order (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS materials (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    kind VARCHAR(80) NOT NULL,
    media_type VARCHAR(40) NOT NULL,
    size BIGINT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    width INT NOT NULL DEFAULT 0,
    height INT NOT NULL DEFAULT 0,
    blob_key VARCHAR(200) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id),
    KEY ix_materials_order (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- filing
-- +goose Up
CREATE TABLE subjects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL,
    live TINYINT NULL,
    status VARCHAR(16) NOT NULL,
    nature INT NOT NULL,
    province CHAR(2) NOT NULL,
    cert_index CHAR(64) NOT NULL,
    info_enc BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    FOREIGN KEY (account_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_subjects_account ON subjects (account_id, live);
CREATE UNIQUE INDEX ux_subjects_cert ON subjects (cert_index, live);
CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    info_enc BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    FOREIGN KEY (subject_id) REFERENCES subjects (id)
);
CREATE INDEX ix_services_subject ON services (subject_id, status);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL,
    type VARCHAR(32) NOT NULL,
    status VARCHAR(32) NOT NULL,
    province VARCHAR(2) NOT NULL DEFAULT '',
    subject_id BIGINT NULL,
    in_flight TINYINT NULL,
    proposal_enc MEDIUMBLOB NOT NULL,
    version INT NOT NULL,
    submitted_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    FOREIGN KEY (account_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_orders_in_flight ON orders (account_id, in_flight);
CREATE INDEX ix_orders_queue ON orders (status, province, id);
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL,
    event VARCHAR(32) NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    from_status VARCHAR(32) NOT NULL,
    to_status VARCHAR(32) NOT NULL,
    reasons VARCHAR(1000) NOT NULL DEFAULT '',
    comment VARCHAR(2000) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE INDEX ix_order_events_order ON order_events (order_id, id);
CREATE TABLE materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    kind VARCHAR(80) NOT NULL,
    media_type VARCHAR(40) NOT NULL,
    size BIGINT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    width INT NOT NULL DEFAULT 0,
    height INT NOT NULL DEFAULT 0,
    blob_key VARCHAR(200) NOT NULL,
    created_at DATETIME NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE INDEX ix_materials_order ON materials (order_id, id);

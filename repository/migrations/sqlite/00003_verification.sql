-- verification
-- +goose Up
CREATE TABLE verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    person_role VARCHAR(32) NOT NULL,
    service_id BIGINT NOT NULL DEFAULT 0,
    state VARCHAR(16) NOT NULL,
    token_id BIGINT NOT NULL DEFAULT 0,
    token_expires_at DATETIME NOT NULL,
    scanned_at DATETIME NULL,
    attempts INT NOT NULL DEFAULT 0,
    reasons VARCHAR(500) NOT NULL DEFAULT '',
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    consent_at DATETIME NULL,
    pending_photo_key VARCHAR(200) NOT NULL DEFAULT '',
    photo_key VARCHAR(200) NOT NULL DEFAULT '',
    confirmed_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    FOREIGN KEY (owner_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_verifications_person ON verifications (order_id, person_role, service_id);
CREATE TABLE verification_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id BIGINT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    token_enc BLOB NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME NULL,
    revoked_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    FOREIGN KEY (verification_id) REFERENCES verifications (id)
);
CREATE UNIQUE INDEX ux_verification_tokens_hash ON verification_tokens (token_hash);
CREATE INDEX ix_verification_tokens_verification ON verification_tokens (verification_id, revoked_at);
CREATE TABLE verification_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id BIGINT NOT NULL,
    token_id BIGINT NOT NULL,
    attempt_no INT NOT NULL,
    passed BOOLEAN NOT NULL,
    reasons VARCHAR(500) NOT NULL DEFAULT '',
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    photo_key VARCHAR(200) NOT NULL DEFAULT '',
    consent_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    FOREIGN KEY (verification_id) REFERENCES verifications (id)
);
CREATE UNIQUE INDEX ux_verification_attempts_no ON verification_attempts (token_id, attempt_no);

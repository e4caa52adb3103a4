-- verification
-- +goose Up
CREATE TABLE IF NOT EXISTS verifications (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    person_role VARCHAR(32) NOT NULL,
    service_id BIGINT NOT NULL DEFAULT 0,
    state VARCHAR(16) NOT NULL,
    token_id BIGINT NOT NULL DEFAULT 0,
    token_expires_at DATETIME(6) NOT NULL,
    scanned_at DATETIME(6) NULL,
    attempts INT NOT NULL DEFAULT 0,
    reasons VARCHAR(500) NOT NULL DEFAULT '',
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    consent_at DATETIME(6) NULL,
    pending_photo_key VARCHAR(200) NOT NULL DEFAULT '',
    photo_key VARCHAR(200) NOT NULL DEFAULT '',
    confirmed_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (owner_id) REFERENCES users (id),
    UNIQUE KEY ux_verifications_person (order_id, person_role, service_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS verification_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    verification_id BIGINT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    token_enc BLOB NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    used_at DATETIME(6) NULL,
    revoked_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (verification_id) REFERENCES verifications (id),
    UNIQUE KEY ux_verification_tokens_hash (token_hash),
    KEY ix_verification_tokens_verification (verification_id, revoked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS verification_attempts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    verification_id BIGINT NOT NULL,
    token_id BIGINT NOT NULL,
    attempt_no INT NOT NULL,
    passed BOOLEAN NOT NULL,
    reasons VARCHAR(500) NOT NULL DEFAULT '',
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    photo_key VARCHAR(200) NOT NULL DEFAULT '',
    consent_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (verification_id) REFERENCES verifications (id),
    UNIQUE KEY ux_verification_attempts_no (token_id, attempt_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- verified persons: whom a verification's current QR code verifies (blind index and sealed
-- identity) and whom its last confirmation verified, which a new QR code leaves in place
-- +goose Up
ALTER TABLE verifications
    ADD COLUMN person_index CHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN person_enc BLOB NULL,
    ADD COLUMN confirmed_index CHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN confirmed_person_enc BLOB NULL,
    ADD COLUMN confirmed_identity_verified BOOLEAN NOT NULL DEFAULT FALSE;

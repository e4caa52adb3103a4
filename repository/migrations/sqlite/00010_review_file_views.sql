-- reviewers' views of materials and verification photos
-- Every time a reviewer opens a material or a confirmed face photo, one row is written before the
-- file is served. Rows are only inserted.
-- +goose Up
CREATE TABLE IF NOT EXISTS review_file_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reviewer_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    object VARCHAR(32) NOT NULL,
    ref VARCHAR(64) NOT NULL,
    viewed_at DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_review_file_views_order ON review_file_views (order_id, id);

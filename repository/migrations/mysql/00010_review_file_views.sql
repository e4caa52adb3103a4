-- reviewers' views of materials and verification photos
-- Every time a reviewer opens a material or a confirmed face photo, one row is written before the
-- file is served. Rows are only inserted.
-- +goose Up
CREATE TABLE IF NOT EXISTS review_file_views (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    reviewer_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    object VARCHAR(32) NOT NULL,
    ref VARCHAR(64) NOT NULL,
    viewed_at DATETIME(6) NOT NULL,
    KEY ix_review_file_views_order (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

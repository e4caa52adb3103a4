-- sequences for filing numbers
-- +goose Up
CREATE TABLE IF NOT EXISTS sequences (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    last BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

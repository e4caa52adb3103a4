-- sequences for filing numbers
-- +goose Up
CREATE TABLE sequences (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    last BIGINT NOT NULL DEFAULT 0
);

-- review queue and claims
-- The reviewer queue filters on status (always), province and type, and pages by (updated_at, id):
-- one index per filter combination so every page is an index range scan.
-- +goose Up
ALTER TABLE orders
    ADD COLUMN claimed_by BIGINT NULL,
    ADD COLUMN claim_expires_at DATETIME(6) NULL,
    ADD INDEX ix_orders_queue_province (status, province, updated_at, id),
    ADD INDEX ix_orders_queue_type (status, type, updated_at, id),
    ADD INDEX ix_orders_queue_province_type (status, province, type, updated_at, id);

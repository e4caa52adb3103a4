-- review queue and claims
-- The reviewer queue filters on status (always), province and type, and pages by (updated_at, id):
-- one index per filter combination so every page is an index range scan.
-- +goose Up
ALTER TABLE orders ADD COLUMN claimed_by BIGINT NULL;
ALTER TABLE orders ADD COLUMN claim_expires_at DATETIME NULL;
CREATE INDEX ix_orders_queue_province ON orders (status, province, updated_at, id);
CREATE INDEX ix_orders_queue_type ON orders (status, type, updated_at, id);
CREATE INDEX ix_orders_queue_province_type ON orders (status, province, type, updated_at, id);

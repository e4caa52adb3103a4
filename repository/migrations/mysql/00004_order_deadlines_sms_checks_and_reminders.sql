-- order deadlines, SMS checks and reminders
-- +goose Up
ALTER TABLE orders
    ADD COLUMN sms_enc BLOB NULL,
    ADD COLUMN deadline_at DATETIME(6) NULL,
    ADD COLUMN reminders INT NOT NULL DEFAULT 0,
    ADD COLUMN reminded_at DATETIME(6) NULL,
    ADD INDEX ix_orders_deadline (status, deadline_at),
    ADD INDEX ix_orders_idle (status, updated_at);

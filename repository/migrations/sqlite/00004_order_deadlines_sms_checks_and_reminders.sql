-- order deadlines, SMS checks and reminders
-- +goose Up
ALTER TABLE orders ADD COLUMN sms_enc BLOB NULL;
ALTER TABLE orders ADD COLUMN deadline_at DATETIME NULL;
ALTER TABLE orders ADD COLUMN reminders INT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN reminded_at DATETIME NULL;
CREATE INDEX ix_orders_deadline ON orders (status, deadline_at);
CREATE INDEX ix_orders_idle ON orders (status, updated_at);

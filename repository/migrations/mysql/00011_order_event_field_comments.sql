-- reviewer field comments
-- A reviewer's notes on single proposal fields, kept with the decision's event as a JSON array of
-- {"field","message"} so the app can mark the fields.
-- +goose Up
ALTER TABLE order_events ADD COLUMN field_comments TEXT NULL;

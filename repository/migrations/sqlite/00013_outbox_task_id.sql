-- Outbox rows remember their queue task
-- One queue task delivers several outbox rows; task_id names it, so the relay can ask the queue
-- whether a row's task is still there. Empty until the row is enqueued (and for rows enqueued
-- before this column existed, whose task was named after the row).
-- +goose Up
ALTER TABLE outbox ADD COLUMN task_id VARCHAR(64) NOT NULL DEFAULT '';

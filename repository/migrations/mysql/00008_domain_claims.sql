-- domain claims: each domain belongs to one subject (blind index of its certificate number) while
-- an order carrying it is in flight and after it is filed
-- +goose Up
CREATE TABLE IF NOT EXISTS domain_claims (
    domain VARCHAR(253) NOT NULL PRIMARY KEY,
    holder_index CHAR(64) NOT NULL,
    order_id BIGINT NOT NULL,
    filed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_domain_claims_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Up
-- When the front desk settled a clawback owed on a reward (clawback_owed is false from then).
ALTER TABLE rewards ADD COLUMN clawback_settled_at TIMESTAMP;

-- +goose Down
ALTER TABLE rewards DROP COLUMN clawback_settled_at;

-- +goose Up
-- When the front desk settled a clawback owed on a reward (clawback_owed is false from then).
ALTER TABLE rewards ADD COLUMN clawback_settled_at TIMESTAMP;
-- An advocate's referrals, for their page and for finding advocates with none lately.
CREATE INDEX referrals_advocate_claimed ON referrals (advocate_id, claimed_at);

-- +goose Down
DROP INDEX referrals_advocate_claimed;
ALTER TABLE rewards DROP COLUMN clawback_settled_at;

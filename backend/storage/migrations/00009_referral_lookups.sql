-- +goose Up
-- A practice's referrals by status, newest first (the pending list, the dashboard's filters),
-- read from an index rather than by walking the primary key past every other practice's rows.
CREATE INDEX referrals_practice_status_id ON referrals (practice_id, status, id);
DROP INDEX referrals_practice_status;

-- Near-miss matching compares a payer's name with every pending referral's friend that has
-- the same last name, folded as referral.LastNameKey folds it. Migration 10 fills it in.
ALTER TABLE referrals ADD COLUMN friend_last_name TEXT NOT NULL DEFAULT '';
CREATE INDEX referrals_pending_last_name ON referrals (practice_id, friend_last_name, id) WHERE status = 'pending';

-- +goose Down
DROP INDEX referrals_pending_last_name;
ALTER TABLE referrals DROP COLUMN friend_last_name;
CREATE INDEX referrals_practice_status ON referrals (practice_id, status);
DROP INDEX referrals_practice_status_id;

-- +goose Up
-- A practice's referrals by status, newest first (the pending list, the dashboard's filters),
-- read from an index rather than by walking the primary key past every other practice's rows.
CREATE INDEX referrals_practice_status_id ON referrals (practice_id, status, id);
DROP INDEX referrals_practice_status;

-- Near-miss matching compares a payer's name with the pending referrals' friends that have the
-- same last name and a first name that could be close, folded as referral.NameKeys folds
-- them; the index holds both, so the candidates are narrowed before any row is read.
-- Migration 10 fills them in for the referrals made before.
ALTER TABLE referrals ADD COLUMN friend_first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN friend_last_name TEXT NOT NULL DEFAULT '';
CREATE INDEX referrals_pending_names ON referrals (practice_id, friend_last_name, friend_first_name)
    WHERE status = 'pending';

-- +goose Down
DROP INDEX referrals_pending_names;
ALTER TABLE referrals DROP COLUMN friend_last_name;
ALTER TABLE referrals DROP COLUMN friend_first_name;
CREATE INDEX referrals_practice_status ON referrals (practice_id, status);
DROP INDEX referrals_practice_status_id;

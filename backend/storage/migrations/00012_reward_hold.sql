-- +goose Up
-- A practice may hold rewards for a number of days after the payment, its refund window
-- (0: issued at once). A held reward is 'pending', with no code, until held_until; the
-- release worker finds the due ones through the partial index, which holds only those.
ALTER TABLE practices ADD COLUMN hold_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rewards ADD COLUMN held_until TIMESTAMP;
CREATE INDEX rewards_pending_held_until ON rewards (held_until) WHERE status = 'pending';

-- +goose Down
DROP INDEX rewards_pending_held_until;
ALTER TABLE rewards DROP COLUMN held_until;
ALTER TABLE practices DROP COLUMN hold_days;

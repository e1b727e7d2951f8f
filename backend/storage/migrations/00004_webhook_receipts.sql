-- +goose Up
-- A rotated webhook secret keeps working until previous_secret_expires_at.
ALTER TABLE practices ADD COLUMN previous_webhook_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN previous_secret_expires_at TIMESTAMP;

-- What a practice sees of the webhooks it sent: time, kind and outcome, never the payload.
CREATE TABLE webhook_receipts (
    id          TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    webhook_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_receipts_practice ON webhook_receipts (practice_id);

-- +goose Down
DROP TABLE webhook_receipts;
ALTER TABLE practices DROP COLUMN previous_secret_expires_at;
ALTER TABLE practices DROP COLUMN previous_webhook_secret;

-- +goose Up
-- The one-time tokens `serve` prints while there is no practice: /setup accepts nothing without
-- one. Kept hashed; any server on this database accepts any of them; creating the first
-- practice deletes them all.
CREATE TABLE first_run_tokens (
    hash       TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Checklist items on the home page that an admin dismissed before the data said they were done.
CREATE TABLE checklist_dismissals (
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    item         TEXT NOT NULL,
    dismissed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (practice_id, item)
);

-- +goose Down
DROP TABLE checklist_dismissals;
DROP TABLE first_run_tokens;

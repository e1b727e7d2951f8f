-- +goose Up
-- Outgoing email: one row per message, written in the transaction of the change that causes
-- it and sent by a worker, like deliveries. cause is unique per practice, so a change replayed
-- any number of times causes one message. A claimed row is 'sending' until next_attempt_at (a
-- lease); letter holds what the message says and is emptied 30 days after sending.
CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    practice_id      TEXT NOT NULL REFERENCES practices (id),
    kind             TEXT NOT NULL,
    cause            TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    letter           TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    unsubscribe_hash TEXT UNIQUE,
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    body_deleted_at  TIMESTAMP,
    UNIQUE (practice_id, cause)
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_practice ON messages (practice_id, id);
CREATE INDEX messages_recipient ON messages (practice_id, recipient, created_at);
CREATE INDEX messages_sent ON messages (sent_at);

-- Addresses that stopped a practice's emails (sign-in links still go when asked for).
CREATE TABLE email_stops (
    practice_id TEXT NOT NULL REFERENCES practices (id),
    email       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (practice_id, email)
);

-- One-time links by the hash of their token: a sign-in link names its advocate; a join link
-- holds the name and email of someone joining until they use it or it expires.
CREATE TABLE sign_in_links (
    hash        TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    advocate_id TEXT REFERENCES advocates (id),
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_links_expires ON sign_in_links (expires_at);

CREATE TABLE advocate_sessions (
    hash        TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    advocate_id TEXT NOT NULL REFERENCES advocates (id),
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX advocate_sessions_expires ON advocate_sessions (expires_at);

-- Replies to a practice's emails go to its contact address; it starts as the first admin's.
ALTER TABLE practices ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
UPDATE practices SET contact_email = COALESCE((SELECT staff.email FROM staff
    WHERE staff.practice_id = practices.id AND staff.role = 'admin' ORDER BY staff.id LIMIT 1), '');

-- +goose Down
ALTER TABLE practices DROP COLUMN contact_email;
DROP TABLE advocate_sessions;
DROP TABLE sign_in_links;
DROP TABLE email_stops;
DROP TABLE messages;

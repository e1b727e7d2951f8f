-- +goose Up
-- Dashboard sessions: only a SHA-256 hash of each cookie's token is kept.
CREATE TABLE sessions (
    hash         TEXT PRIMARY KEY,
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- Failed sign-ins by a hash of the email, for the lock-out; cleared by a successful one.
CREATE TABLE login_failures (
    id         TEXT PRIMARY KEY,
    email_hash TEXT NOT NULL,
    failed_at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email_hash, failed_at);

CREATE INDEX staff_email ON staff (email);

-- +goose Down
DROP INDEX staff_email;
DROP TABLE login_failures;
DROP TABLE sessions;

-- +goose Up
-- One row that /readyz writes: a database that answers but cannot take a write (read-only, a
-- full disk) is not ready to record payments.
CREATE TABLE readiness (
    id         INTEGER PRIMARY KEY,
    checked_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE readiness;

-- +goose Up
CREATE TABLE hooks (
    id          TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    event       TEXT NOT NULL,
    target_url  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX hooks_practice_event ON hooks (practice_id, event);

-- One row per event and subscribed hook, queued with the event in its transaction. A claimed
-- row's next_attempt_at is pushed past the attempt's timeout (a lease): a worker that dies
-- mid-attempt leaves it to be claimed again, so delivery is at least once.
CREATE TABLE deliveries (
    event_id        TEXT NOT NULL REFERENCES events (id),
    hook_id         TEXT NOT NULL REFERENCES hooks (id) ON DELETE CASCADE,
    practice_id     TEXT NOT NULL REFERENCES practices (id),
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at TIMESTAMP,
    delivered_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, hook_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_hook ON deliveries (hook_id);

-- +goose Down
DROP TABLE deliveries;
DROP TABLE hooks;

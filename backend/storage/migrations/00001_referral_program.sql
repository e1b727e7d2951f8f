-- +goose Up
-- One schema for PostgreSQL and SQLite: portable types only, times stored in UTC.
CREATE TABLE practices (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    slug               TEXT NOT NULL UNIQUE,
    currency           TEXT NOT NULL,
    time_zone          TEXT NOT NULL,
    reward_kind        TEXT NOT NULL,
    reward_minor       BIGINT NOT NULL,
    annual_cap         INTEGER NOT NULL,
    minimum_minor      BIGINT NOT NULL,
    offer_description  TEXT NOT NULL DEFAULT '',
    offer_welcome_code TEXT NOT NULL DEFAULT '',
    webhook_secret     TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    hash        TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);

CREATE TABLE staff (
    id               TEXT PRIMARY KEY,
    practice_id      TEXT NOT NULL REFERENCES practices (id),
    email            TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT,
    setup_token_hash TEXT UNIQUE,
    setup_expires_at TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    UNIQUE (practice_id, email)
);

-- Referral codes are unique across practices: /r/{code} finds the practice from the code.
CREATE TABLE advocates (
    id          TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    status      TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (practice_id, email)
);
CREATE INDEX advocates_practice_status ON advocates (practice_id, status);

CREATE TABLE referrals (
    id           TEXT PRIMARY KEY,
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    advocate_id  TEXT NOT NULL REFERENCES advocates (id),
    friend_name  TEXT NOT NULL,
    friend_email TEXT NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL,
    claimed_at   TIMESTAMP NOT NULL,
    converted_at TIMESTAMP,
    UNIQUE (practice_id, friend_email)
);
CREATE INDEX referrals_practice_status ON referrals (practice_id, status);

-- A payment's natural key makes Record Conversion idempotent for ever. No payer data here.
CREATE TABLE payments (
    id            TEXT PRIMARY KEY,
    practice_id   TEXT NOT NULL REFERENCES practices (id),
    invoice_id    TEXT NOT NULL,
    payment_id    TEXT NOT NULL DEFAULT '',
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    paid_at       TIMESTAMP NOT NULL,
    outcome       TEXT NOT NULL,
    referral_id   TEXT,
    conversion_id TEXT,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (practice_id, invoice_id, payment_id)
);

CREATE TABLE conversions (
    id           TEXT PRIMARY KEY,
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    referral_id  TEXT NOT NULL UNIQUE REFERENCES referrals (id),
    advocate_id  TEXT NOT NULL REFERENCES advocates (id),
    invoice_id   TEXT NOT NULL,
    payment_id   TEXT NOT NULL DEFAULT '',
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    paid_at      TIMESTAMP NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL,
    reversed_at  TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX conversions_practice_invoice ON conversions (practice_id, invoice_id);

CREATE TABLE rewards (
    id            TEXT PRIMARY KEY,
    practice_id   TEXT NOT NULL REFERENCES practices (id),
    advocate_id   TEXT NOT NULL REFERENCES advocates (id),
    conversion_id TEXT NOT NULL UNIQUE REFERENCES conversions (id),
    kind          TEXT NOT NULL,
    code          TEXT UNIQUE,
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    clawback_owed BOOLEAN NOT NULL DEFAULT FALSE,
    issued_at     TIMESTAMP NOT NULL,
    redeemed_at   TIMESTAMP,
    voided_at     TIMESTAMP
);
CREATE INDEX rewards_advocate_issued ON rewards (practice_id, advocate_id, issued_at);

-- Refunds keep only the invoice: one that arrives before its payment stops that payment rewarding.
CREATE TABLE refunds (
    id            TEXT PRIMARY KEY,
    practice_id   TEXT NOT NULL REFERENCES practices (id),
    invoice_id    TEXT NOT NULL,
    refund_id     TEXT NOT NULL DEFAULT '',
    amount_minor  BIGINT,
    currency      TEXT,
    outcome       TEXT NOT NULL,
    conversion_id TEXT,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (practice_id, invoice_id, refund_id)
);

-- Near-misses hold a payer's name and email for at most 30 days (expires_at).
CREATE TABLE near_misses (
    id           TEXT PRIMARY KEY,
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    advocate_id  TEXT NOT NULL REFERENCES advocates (id),
    payer_name   TEXT NOT NULL,
    payer_email  TEXT NOT NULL DEFAULT '',
    invoice_id   TEXT NOT NULL,
    payment_id   TEXT NOT NULL DEFAULT '',
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    paid_at      TIMESTAMP NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX near_misses_practice ON near_misses (practice_id);
CREATE INDEX near_misses_created ON near_misses (created_at);

-- The outbox: written in the transaction of the change it describes.
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices (id),
    type        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX events_practice_type ON events (practice_id, type);

-- Idempotency-Key replays: the request's hash and the answer, for 24 hours.
CREATE TABLE idempotency_keys (
    practice_id  TEXT NOT NULL REFERENCES practices (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (practice_id, idempotency_key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE events;
DROP TABLE near_misses;
DROP TABLE refunds;
DROP TABLE rewards;
DROP TABLE conversions;
DROP TABLE payments;
DROP TABLE referrals;
DROP TABLE advocates;
DROP TABLE staff;
DROP TABLE api_keys;
DROP TABLE practices;

-- +goose Up
-- Secret keys every server shares, such as the one that signs the dashboard's forms before
-- sign-in. The first server that needs a key makes it; the others read the same row back.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE server_keys;

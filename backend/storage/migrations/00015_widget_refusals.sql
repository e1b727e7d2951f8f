-- +goose Up
-- The last site the widget was refused on, per practice, so staff see in Settings which origin
-- to add: one row a practice, overwritten by each refusal. An origin is a site, not a person.
CREATE TABLE widget_refusals (
    practice_id TEXT PRIMARY KEY REFERENCES practices (id),
    origin      TEXT NOT NULL,
    refused_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE widget_refusals;

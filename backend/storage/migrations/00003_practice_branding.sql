-- +goose Up
-- The hosted pages' look and the widget's allowed sites. One statement per column: SQLite adds
-- one column per ALTER TABLE. Defaults give existing practices the standard look.
ALTER TABLE practices ADD COLUMN brand_color TEXT NOT NULL DEFAULT '#6b4eff';
ALTER TABLE practices ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN booking_url TEXT NOT NULL DEFAULT '';
-- Space-separated origins such as https://glowaesthetics.com.
ALTER TABLE practices ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE practices DROP COLUMN allowed_origins;
ALTER TABLE practices DROP COLUMN booking_url;
ALTER TABLE practices DROP COLUMN logo_url;
ALTER TABLE practices DROP COLUMN brand_color;

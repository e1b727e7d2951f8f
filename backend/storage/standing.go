package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// standingConversions is migration 11. Until now a referral converted once for ever; now a
// fully refunded conversion puts its referral back to pending, and an invoice converts at most
// one referral. So only a standing (rewarded) conversion holds its referral and its invoice:
//   - referral_id is unique among standing conversions only;
//   - invoice_key is the invoice of a standing conversion, unique per practice, and null once
//     reversed (and for the later ones of any invoice that converted two referrals before);
//   - a refund without a refund_id is keyed by its amount, so different partial refunds add up;
//   - referrals left "reversed" are pending again;
//   - a reward keeps its payment's time, which the yearly cap counts by.
//
// PostgreSQL drops the old unique constraints; SQLite cannot, so it rebuilds both tables with
// foreign keys off, as SQLite's documentation prescribes, on one connection outside goose's
// transaction.
func standingConversions(postgres bool) *goose.Migration {
	up := func(ctx context.Context, db *sql.DB) error {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		// Another process may have migrated and not yet recorded it (SQLite has no lock).
		var done int
		if err := conn.QueryRowContext(ctx, standingDone(postgres)).Scan(&done); err != nil || done > 0 {
			return err
		}
		if postgres {
			return inTransaction(ctx, conn, "BEGIN", postgresStanding)
		}
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
		return inTransaction(ctx, conn, "BEGIN IMMEDIATE", sqliteStanding)
	}
	return goose.NewGoMigration(11, &goose.GoFunc{RunDB: up},
		&goose.GoFunc{RunDB: func(context.Context, *sql.DB) error { return nil }})
}

// standingDone counts the column migration 11 adds: 1 once it ran.
func standingDone(postgres bool) string {
	if postgres {
		return `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()
			AND table_name = 'conversions' AND column_name = 'invoice_key'`
	}
	return `SELECT COUNT(*) FROM pragma_table_info('conversions') WHERE name = 'invoice_key'`
}

// inTransaction runs statements in one transaction on conn.
func inTransaction(ctx context.Context, conn *sql.Conn, begin string, statements []string) error {
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return err
	}
	for _, s := range statements {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return fmt.Errorf("store: migration 11: %w", err)
		}
	}
	_, err := conn.ExecContext(ctx, "COMMIT")
	return err
}

// standingKeys are what both engines end with.
var standingKeys = []string{
	// The first standing conversion of each invoice keeps it.
	`UPDATE conversions SET invoice_key = invoice_id WHERE status = 'rewarded' AND NOT EXISTS (
		SELECT 1 FROM conversions AS earlier WHERE earlier.practice_id = conversions.practice_id
		AND earlier.invoice_id = conversions.invoice_id AND earlier.status = 'rewarded' AND earlier.id < conversions.id)`,
	`CREATE UNIQUE INDEX conversions_standing_referral ON conversions (referral_id) WHERE status = 'rewarded'`,
	`CREATE UNIQUE INDEX conversions_standing_invoice ON conversions (practice_id, invoice_key)`,
	`CREATE UNIQUE INDEX refunds_key ON refunds (practice_id, invoice_id, refund_id,
		(CASE WHEN refund_id = '' THEN COALESCE(amount_minor, -1) ELSE 0 END))`,
	`UPDATE referrals SET status = 'pending', converted_at = NULL WHERE status = 'reversed'`,
	// The yearly cap counts rewards by their payment's date, read from the index.
	`ALTER TABLE rewards ADD COLUMN paid_at TIMESTAMP`,
	`UPDATE rewards SET paid_at = (SELECT conversions.paid_at FROM conversions WHERE conversions.id = rewards.conversion_id)`,
	`CREATE INDEX rewards_advocate_paid ON rewards (practice_id, advocate_id, paid_at)`,
	`DROP INDEX rewards_advocate_issued`,
}

var postgresStanding = append([]string{
	`ALTER TABLE conversions DROP CONSTRAINT conversions_referral_id_key`,
	`ALTER TABLE conversions ADD COLUMN invoice_key TEXT`,
	`ALTER TABLE refunds DROP CONSTRAINT refunds_practice_id_invoice_id_refund_id_key`,
}, standingKeys...)

var sqliteStanding = append([]string{
	`CREATE TABLE conversions_new (
		id           TEXT PRIMARY KEY,
		practice_id  TEXT NOT NULL REFERENCES practices (id),
		referral_id  TEXT NOT NULL REFERENCES referrals (id),
		advocate_id  TEXT NOT NULL REFERENCES advocates (id),
		invoice_id   TEXT NOT NULL,
		payment_id   TEXT NOT NULL DEFAULT '',
		amount_minor BIGINT NOT NULL,
		currency     TEXT NOT NULL,
		paid_at      TIMESTAMP NOT NULL,
		source       TEXT NOT NULL,
		status       TEXT NOT NULL,
		reversed_at  TIMESTAMP,
		created_at   TIMESTAMP NOT NULL,
		invoice_key  TEXT
	)`,
	`INSERT INTO conversions_new (id, practice_id, referral_id, advocate_id, invoice_id, payment_id,
		amount_minor, currency, paid_at, source, status, reversed_at, created_at)
		SELECT id, practice_id, referral_id, advocate_id, invoice_id, payment_id,
		amount_minor, currency, paid_at, source, status, reversed_at, created_at FROM conversions`,
	`DROP TABLE conversions`,
	`ALTER TABLE conversions_new RENAME TO conversions`,
	`CREATE INDEX conversions_practice_invoice ON conversions (practice_id, invoice_id)`,
	`CREATE TABLE refunds_new (
		id            TEXT PRIMARY KEY,
		practice_id   TEXT NOT NULL REFERENCES practices (id),
		invoice_id    TEXT NOT NULL,
		refund_id     TEXT NOT NULL DEFAULT '',
		amount_minor  BIGINT,
		currency      TEXT,
		outcome       TEXT NOT NULL,
		conversion_id TEXT,
		created_at    TIMESTAMP NOT NULL
	)`,
	`INSERT INTO refunds_new SELECT id, practice_id, invoice_id, refund_id, amount_minor, currency,
		outcome, conversion_id, created_at FROM refunds`,
	`DROP TABLE refunds`,
	`ALTER TABLE refunds_new RENAME TO refunds`,
}, standingKeys...)

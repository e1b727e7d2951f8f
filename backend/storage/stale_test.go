package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A newer server migrating the database while this one runs changes the columns its cached
// statements return (PostgreSQL then refuses them: "cached plan must not change result type").
// Payments go on being recorded: the transaction runs again with the statements prepared anew.
func TestMigrationUnderRunningServer(t *testing.T) {
	t.Parallel()
	db, p := mustDB(t)
	ctx := context.Background()
	svc, a := mustAdvocate(t, db, p)
	convert := func(i int) {
		t.Helper()
		email := fmt.Sprintf("friend%d@example.com", i)
		if _, _, err := svc.ClaimReferral(ctx, p, referral.NewReferral{AdvocateID: a.ID, FriendName: "Fran Fields", FriendEmail: email}); err != nil {
			t.Fatal(err)
		}
		res, err := svc.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: fmt.Sprintf("INV-%d", i), Email: email, Amount: "250"})
		if err != nil || res.Outcome != referral.OutcomeConverted {
			t.Fatalf("payment %d: %+v, %v", i, res, err)
		}
	}
	for i := range db.Connections() { // statements cached on many of the pool's connections
		convert(i)
	}
	for _, table := range []string{"practices", "referrals", "advocates", "conversions", "rewards"} {
		if _, err := db.SQL().Exec("ALTER TABLE " + table + " ADD COLUMN added_later TEXT"); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		convert(100 + i)
	}
}

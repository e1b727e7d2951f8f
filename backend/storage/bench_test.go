package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// BenchmarkRecordConversion measures the whole conversion path through storage: a friend's
// payment matched by email, the referral converted, a reward code issued, the outbox written.
// Run it on SQLite, and on PostgreSQL with ADVOCATELOOP_TEST_POSTGRES set:
//
//	go test -run '^$' -bench RecordConversion -benchmem ./backend/storage/
func BenchmarkRecordConversion(b *testing.B) {
	ctx := context.Background()
	db := testdb.MustOpen(b)
	s := &referral.Service{Store: db, PublicURL: "https://refer.example.com"}
	p, _, err := s.CreatePractice(ctx, referral.NewPractice{Name: "Glow Aesthetics", AdminEmail: "admin@glow.example"})
	if err != nil {
		b.Fatal(err)
	}
	p.Reward.AnnualCap = 1 << 30 // measure issued rewards, not the cheaper capped ones
	if err := db.InTx(ctx, func(tx referral.Tx) error { return tx.UpdatePractice(p) }); err != nil {
		b.Fatal(err)
	}
	a, _, err := s.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: "Jane Avery", Email: "jane@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	run := 0 // b.Run calls its function again with a larger b.N; every run needs new friends
	b.Run(testdb.Kind(), func(b *testing.B) {
		run++
		friends := make([]string, b.N)
		for i := range friends { // each iteration's friend was referred beforehand, untimed
			friends[i] = fmt.Sprintf("friend%d-%d@example.com", run, i)
			if _, _, err := s.ClaimReferral(ctx, p, referral.NewReferral{AdvocateID: a.ID, FriendName: "Fran Fields", FriendEmail: friends[i]}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, err := s.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: fmt.Sprintf("INV-%d-%d", run, i),
				Email: friends[i], Amount: "250.00"})
			if err != nil || res.Outcome != referral.OutcomeConverted {
				b.Fatalf("record conversion: %v %+v", err, res)
			}
		}
	})
}

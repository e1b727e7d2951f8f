package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// Referrals made before near-miss matching read names from an index get theirs from
// migration 10, and are found as near-misses like any other.
func TestMigrationFillsNameKeys(t *testing.T) {
	t.Parallel()
	db, p := mustDB(t)
	ctx := context.Background()
	svc, a := mustAdvocate(t, db, p)
	names := []string{"José Díaz", "Kate O'Neil", "Cher", "42"}
	for i, name := range names {
		if _, _, err := svc.ClaimReferral(ctx, p, referral.NewReferral{AdvocateID: a.ID, FriendName: name, FriendEmail: fmt.Sprintf("f%d@example.com", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec("UPDATE referrals SET friend_first_name = '', friend_last_name = ''"); err != nil {
		t.Fatal(err)
	}
	if err := storage.FillNameKeys(ctx, db); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().Query("SELECT friend_name, friend_first_name || ' ' || friend_last_name FROM referrals")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var name, keys string
		if err := rows.Scan(&name, &keys); err != nil {
			t.Fatal(err)
		}
		got[name] = keys
	}
	want := map[string]string{"José Díaz": "jose diaz", "Kate O'Neil": "kate neil", "Cher": "cher cher", "42": " "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first and last names = %v, want %v", got, want)
	}
	res, err := svc.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "jd@example.com", Name: "Jose Diaz", Amount: "250"})
	if err != nil || res.Outcome != referral.OutcomeNearMiss {
		t.Errorf("payer named like a referral from before the migration: %+v, %v", res, err)
	}
}

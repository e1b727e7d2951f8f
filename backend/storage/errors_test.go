package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A failed statement's error says what was being done and to which row, never by an email,
// and is still read as trouble in the database (a request that went away mid-transaction is
// unavailable, 503), not as a bug.
func TestStoreErrorNamesOperationAndKeepsItsCause(t *testing.T) {
	t.Parallel()
	db, p := mustDB(t)
	for _, tc := range []struct {
		name, want string
		read       func(referral.Tx) error
	}{
		{"by id", "store: read advocate adv_gone: ", func(tx referral.Tx) error {
			_, err := tx.AdvocateByID(p.ID, "adv_gone")
			return err
		}},
		{"by email", "store: read advocate by email in practice " + p.ID + ": ", func(tx referral.Tx) error {
			_, err := tx.AdvocateByEmail(p.ID, "jane@example.com")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			err := db.InTx(ctx, func(tx referral.Tx) error {
				cancel() // the request goes away
				return tc.read(tx)
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "jane") {
				t.Errorf("error %q names the email", err)
			}
			if referral.ErrorCode(err) != referral.EUnavailable || !errors.Is(err, context.Canceled) {
				t.Errorf("error %v is not unavailable, caused by the cancelled request", err)
			}
		})
	}
}

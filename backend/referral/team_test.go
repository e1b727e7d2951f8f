package referral_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

var teams atomic.Int64

// team is a practice whose admin has set a password, with every address its own: the tests
// share one database, and a password reset looks an email up in every practice.
type team struct {
	p     *referral.Practice
	admin *referral.Staff
	email string
}

func mustTeam(tb testing.TB, s *referral.Service) *team {
	tb.Helper()
	n := teams.Add(1)
	email := fmt.Sprintf("owner%d@team.example", n)
	p, secrets, err := s.CreatePractice(context.Background(), referral.NewPractice{Name: fmt.Sprintf("Team Spa %d", n), AdminEmail: email})
	if err != nil {
		tb.Fatal(err)
	}
	admin, err := s.SetPassword(context.Background(), secrets.SetupToken, "first password!", "first password!")
	if err != nil {
		tb.Fatal(err)
	}
	return &team{p: p, admin: admin, email: email}
}

// mustColleague invites email with role and sets their password through the emailed link.
func (tm *team) mustColleague(tb testing.TB, s *referral.Service, email, role string) *referral.Staff {
	tb.Helper()
	if _, _, err := s.InviteStaff(context.Background(), tm.p, referral.NewStaff{Email: email, Role: role}); err != nil {
		tb.Fatal(err)
	}
	st, err := s.SetPassword(context.Background(), linkToken(tb, lastTo(tb, s, tm.p, referral.StaffInvite, email)), "a password!!", "a password!!")
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// lastTo is the newest message of kind to an address.
func lastTo(tb testing.TB, s *referral.Service, p *referral.Practice, kind, to string) referral.Message {
	tb.Helper()
	list := mustMessages(tb, s, p)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Kind == kind && list[i].To == to {
			return list[i]
		}
	}
	tb.Fatalf("no %s message to %s", kind, to)
	return referral.Message{}
}

// linkToken is the token of the set-password link a message carries.
func linkToken(tb testing.TB, m referral.Message) string {
	tb.Helper()
	const prefix = "https://refer.example/setup/"
	if !strings.HasPrefix(m.Letter.SignInURL, prefix) || m.Letter.UnsubscribeURL != "" {
		tb.Fatalf("%s letter: %+v", m.Kind, m.Letter)
	}
	return strings.TrimPrefix(m.Letter.SignInURL, prefix)
}

func mustSession(tb testing.TB, s *referral.Service, st *referral.Staff) string {
	tb.Helper()
	token, err := s.StartSession(context.Background(), st)
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

func signedIn(tb testing.TB, s *referral.Service, token string) *referral.SignedIn {
	tb.Helper()
	me, err := s.Session(context.Background(), token)
	if err != nil {
		tb.Fatal(err)
	}
	return me
}

// An invitation is emailed once, with the link InviteStaff returns; inviting again sends a new
// link and the first stops working.
func TestInvitationIsEmailed(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	tm := mustTeam(t, s)
	ctx := context.Background()
	_, first, err := s.InviteStaff(ctx, tm.p, referral.NewStaff{Email: "Desk@Team.example", Role: referral.FrontDesk})
	if err != nil {
		t.Fatal(err)
	}
	if got := linkToken(t, lastTo(t, s, tm.p, referral.StaffInvite, "desk@team.example")); got != first {
		t.Fatalf("emailed token %q, returned %q", got, first)
	}
	_, second, err := s.InviteStaff(ctx, tm.p, referral.NewStaff{Email: "desk@team.example", Role: referral.Admin})
	if err != nil {
		t.Fatal(err)
	}
	if got := kindsTo(mustMessages(t, s, tm.p), "desk@team.example"); len(got) != 2 {
		t.Fatalf("messages to the invitee: %v, want one per invitation", got)
	}
	if got := linkToken(t, lastTo(t, s, tm.p, referral.StaffInvite, "desk@team.example")); got != second || got == first {
		t.Fatalf("second invitation emailed %q", got)
	}
	if _, err := s.SetupAccount(ctx, first); referral.ErrorCode(err) != referral.ENotFound {
		t.Fatalf("the first link after a second invitation: %v", err)
	}
	st, err := s.SetPassword(ctx, second, "a password!!", "a password!!")
	if err != nil || st.Role != referral.Admin {
		t.Fatalf("the second link: %+v, %v", st, err)
	}
}

// A reset link is emailed only to an account with a password, works once within the hour, and
// the new password signs out every session of the account.
func TestPasswordResetEndsEverySession(t *testing.T) {
	t.Parallel()
	s, clock := mustService(t)
	tm := mustTeam(t, s)
	ctx := context.Background()
	phone, laptop := mustSession(t, s, tm.admin), mustSession(t, s, tm.admin)
	before := len(mustMessages(t, s, tm.p))
	for _, email := range []string{"nobody@team.example", "invited@team.example"} {
		if email == "invited@team.example" {
			if _, _, err := s.InviteStaff(ctx, tm.p, referral.NewStaff{Email: email, Role: referral.FrontDesk}); err != nil {
				t.Fatal(err)
			}
			before++
		}
		if err := s.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: email}); err != nil {
			t.Fatalf("%s: %v, want the same answer as for staff", email, err)
		}
	}
	if got := len(mustMessages(t, s, tm.p)); got != before {
		t.Fatalf("%d messages after resets for an unknown and an invited address, want %d", got, before)
	}
	if err := s.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: "not an email"}); referral.ErrorCode(err) != referral.EInvalid {
		t.Fatalf("a malformed email: %v", err)
	}

	if err := s.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: strings.ToUpper(tm.email)}); err != nil {
		t.Fatal(err)
	}
	token := linkToken(t, lastTo(t, s, tm.p, referral.PasswordReset, tm.email))
	if signedIn(t, s, phone) == nil {
		t.Fatal("asking for a reset signed the account out: anyone could do that to anyone")
	}
	if _, err := s.SignIn(ctx, tm.email, "first password!", "test"); err != nil {
		t.Fatalf("the old password before the reset is used: %v", err)
	}
	if _, err := s.SetPassword(ctx, token, "second password", "second password"); err != nil {
		t.Fatal(err)
	}
	for _, session := range []string{phone, laptop} {
		if signedIn(t, s, session) != nil {
			t.Error("a session outlived the new password")
		}
	}
	if _, err := s.SignIn(ctx, tm.email, "first password!", "test"); referral.ErrorCode(err) != referral.EUnauthorized {
		t.Errorf("the old password after the reset: %v", err)
	}
	if _, err := s.SignIn(ctx, tm.email, "second password", "test"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if _, err := s.SetupAccount(ctx, token); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("a used reset link: %v", err)
	}

	if err := s.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: tm.email}); err != nil {
		t.Fatal(err)
	}
	late := linkToken(t, lastTo(t, s, tm.p, referral.PasswordReset, tm.email))
	clock.Add(referral.PasswordResetLifetime + time.Second)
	if _, err := s.SetupAccount(ctx, late); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("a reset link after an hour: %v", err)
	}
}

// A stranger cannot flood a colleague's inbox through the form: MessagesPerHour, then nothing.
func TestPasswordResetsAreBounded(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	tm := mustTeam(t, s)
	for range referral.MessagesPerHour + 3 {
		if err := s.RequestPasswordReset(context.Background(), referral.PasswordResetRequest{Email: tm.email}); err != nil {
			t.Fatal(err)
		}
	}
	if got := kindsTo(mustMessages(t, s, tm.p), tm.email); len(got) != referral.MessagesPerHour {
		t.Fatalf("%d messages (%v), want %d", len(got), got, referral.MessagesPerHour)
	}
}

// Changing a role or removing someone ends their sessions; the practice keeps an admin who
// can sign in; another practice's staff are not found.
func TestTeamChanges(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	tm := mustTeam(t, s)
	ctx := context.Background()
	if _, _, err := s.InviteStaff(ctx, tm.p, referral.NewStaff{Email: "invited-admin@team.example", Role: referral.Admin}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveStaff(ctx, tm.p, tm.admin.ID); referral.ErrorCode(err) != referral.EInvalid {
		t.Fatalf("removing the only admin who can sign in (the other is only invited): %v", err)
	}
	if _, err := s.ChangeStaffRole(ctx, tm.p, tm.admin.ID, referral.FrontDesk); referral.ErrorCode(err) != referral.EInvalid {
		t.Fatalf("demoting the only admin: %v", err)
	}
	desk := tm.mustColleague(t, s, "desk@team.example", referral.FrontDesk)
	deskSession := mustSession(t, s, desk)
	if _, err := s.ChangeStaffRole(ctx, tm.p, desk.ID, "owner"); referral.ErrorCode(err) != referral.EInvalid {
		t.Fatalf("an unknown role: %v", err)
	}
	if signedIn(t, s, deskSession) == nil {
		t.Fatal("a refused change ended a session")
	}
	if _, err := s.ChangeStaffRole(ctx, tm.p, desk.ID, referral.Admin); err != nil {
		t.Fatal(err)
	}
	if signedIn(t, s, deskSession) != nil {
		t.Fatal("a session outlived a role change")
	}
	adminSession := mustSession(t, s, tm.admin)
	if _, err := s.ChangeStaffRole(ctx, tm.p, tm.admin.ID, referral.FrontDesk); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if signedIn(t, s, adminSession) != nil {
		t.Fatal("a demoted admin's session lives on")
	}
	if _, err := s.RemoveStaff(ctx, tm.p, desk.ID); referral.ErrorCode(err) != referral.EInvalid {
		t.Fatalf("removing the last admin: %v", err)
	}
	newSession := mustSession(t, s, tm.admin)
	if _, err := s.RemoveStaff(ctx, tm.p, tm.admin.ID); err != nil {
		t.Fatal(err)
	}
	if signedIn(t, s, newSession) != nil {
		t.Fatal("a removed colleague's session lives on")
	}
	if _, err := s.SignIn(ctx, tm.email, "first password!", "test"); referral.ErrorCode(err) != referral.EUnauthorized {
		t.Fatalf("a removed colleague signs in: %v", err)
	}
	list, err := s.StaffList(ctx, tm.p)
	if err != nil || len(list) != 2 {
		t.Fatalf("team after the removal: %+v, %v", list, err)
	}

	other := mustTeam(t, s)
	for _, id := range []string{other.admin.ID, "stf_nope", "x\x00"} {
		if _, err := s.RemoveStaff(ctx, tm.p, id); referral.ErrorCode(err) != referral.ENotFound {
			t.Errorf("removing %q: %v", id, err)
		}
		if _, err := s.ChangeStaffRole(ctx, tm.p, id, referral.Admin); referral.ErrorCode(err) != referral.ENotFound {
			t.Errorf("changing %q: %v", id, err)
		}
	}
	if signedIn(t, s, mustSession(t, s, other.admin)) == nil {
		t.Error("another practice's admin lost their session")
	}
}

// Two admins demoting each other at once leave the practice with one admin, not none.
func TestAdminsDemotingEachOther(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	tm := mustTeam(t, s)
	second := tm.mustColleague(t, s, "second@team.example", referral.Admin)
	ids := []string{tm.admin.ID, second.ID}
	errs := concurrently(2, func(i int) error {
		_, err := s.ChangeStaffRole(t.Context(), tm.p, ids[i], referral.FrontDesk)
		return err
	})
	refused := 0
	for _, err := range errs {
		switch {
		case referral.ErrorCode(err) == referral.EInvalid:
			refused++
		case err != nil:
			t.Fatal(err)
		}
	}
	list, err := s.StaffList(t.Context(), tm.p)
	if err != nil {
		t.Fatal(err)
	}
	admins := 0
	for _, st := range list {
		if st.Role == referral.Admin {
			admins++
		}
	}
	if refused != 1 || admins != 1 {
		t.Fatalf("%d refused, %d admins left; want 1 and 1", refused, admins)
	}
}

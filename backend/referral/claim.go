package referral

import (
	"context"
	"strings"
	"time"
)

// Referral sources and statuses.
const (
	SourceLink   = "link"
	SourceCode   = "code"
	SourceManual = "manual"
	SourceAPI    = "api"

	Pending   = "pending"
	Converted = "converted" // until its conversion is reversed: then pending again
)

// Referral is a friend's claim of an advocate's invitation.
type Referral struct {
	ID            string       `json:"id"`
	PracticeID    string       `json:"-"`
	AdvocateID    string       `json:"advocate_id"`
	AdvocateName  string       `json:"advocate_name"`
	AdvocateEmail string       `json:"-"` // for the advocate's reward email
	Code          string       `json:"referral_code"`
	FriendName    string       `json:"friend_name"`
	FriendEmail   string       `json:"friend_email"`
	Source        string       `json:"source"`
	Status        string       `json:"status"`
	ClaimedAt     time.Time    `json:"claimed_at"`
	ConvertedAt   *time.Time   `json:"converted_at"`
	Offer         *FriendOffer `json:"friend_offer"`
}

// NewReferral is a friend's claim, naming the advocate by id or by referral code.
type NewReferral struct {
	AdvocateID   string `json:"advocate_id"`
	ReferralCode string `json:"referral_code"`
	FriendName   string `json:"friend_name" validate:"required,max=200"`
	FriendEmail  string `json:"friend_email" validate:"required,max=254,email"`
	Source       string `json:"source" validate:"omitempty,oneof=link code manual api"`
}

// ReferralFilter narrows a list of referrals.
type ReferralFilter struct {
	AdvocateID  string `json:"advocate_id" validate:"max=40"`
	FriendEmail string `json:"friend_email" validate:"max=254"`
	Status      string `json:"status" validate:"omitempty,oneof=pending converted"`
	// Search finds referrals by part of the friend's name or email, or of their advocate's
	// name or email, or by the advocate's code: the dashboard's search box.
	Search string `json:"q" validate:"max=200"`
}

// ClaimReferral records a friend's claim. The first claim wins: the same claim again returns
// the existing referral (created is false); a claim for another advocate is refused.
func (s *Service) ClaimReferral(ctx context.Context, p *Practice, in NewReferral) (r *Referral, created bool, err error) {
	in.FriendEmail, in.FriendName = NormalizeEmail(in.FriendEmail), strings.TrimSpace(in.FriendName)
	in.ReferralCode = NormalizeCode(in.ReferralCode)
	if in.Source == "" {
		in.Source = SourceAPI
	}
	if err := check(in); err != nil {
		return nil, false, err
	}
	if in.AdvocateID == "" && in.ReferralCode == "" {
		return nil, false, InvalidField("referral_code", "is required when advocate_id is not given")
	}
	err = s.inTx(ctx, func(tx Tx) error {
		a, err := s.invitingAdvocate(tx, p, in)
		if err != nil {
			return err
		}
		r, created, err = s.claim(tx, p, a, in.FriendName, in.FriendEmail, in.Source, s.Now())
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return r, created, nil
}

func (s *Service) invitingAdvocate(tx Tx, p *Practice, in NewReferral) (a *Advocate, err error) {
	field := "advocate_id"
	if in.AdvocateID != "" {
		a, err = tx.AdvocateByID(p.ID, in.AdvocateID)
	} else {
		field = "referral_code"
		a, err = tx.AdvocateByCode(p.ID, in.ReferralCode)
	}
	switch {
	case err != nil:
		return nil, err
	case a == nil:
		return nil, InvalidField(field, "matches no advocate of this practice")
	case a.Status != Active:
		return nil, Errorf(EAdvocateDisabled, "%s is no longer an active advocate, so new referrals to them are not accepted.", a.Name)
	}
	return a, nil
}

// claim applies the referral rules for a friend of advocate a.
func (s *Service) claim(tx Tx, p *Practice, a *Advocate, name, email, source string, at time.Time) (*Referral, bool, error) {
	if email == a.Email {
		return nil, false, friendError(ESelfReferral, "An advocate cannot refer themselves.", "is the advocate's own email")
	}
	other, err := tx.AdvocateByEmail(p.ID, email)
	if err != nil {
		return nil, false, err
	}
	if other != nil {
		return nil, false, friendError(EExistingPatient, "This person is already an advocate of the practice, so they are an existing patient.", "belongs to an existing patient")
	}
	r := &Referral{ID: NewID("ref", at), PracticeID: p.ID, AdvocateID: a.ID, AdvocateName: a.Name,
		AdvocateEmail: a.Email, Code: a.Code, FriendName: name, FriendEmail: email, Source: source, Status: Pending, ClaimedAt: at}
	// Two tries: if another server inserts this friend between our lookup and insert, the
	// second lookup sees its referral.
	for range 2 {
		existing, err := tx.ReferralByFriendEmail(p.ID, email)
		if err != nil {
			return nil, false, err
		}
		if existing != nil {
			return s.withOffer(p, existing), false, existingClaim(existing, a)
		}
		ok, err := tx.InsertReferral(r)
		if err != nil {
			return nil, false, err
		}
		if ok {
			s.withOffer(p, r)
			if err := tx.InsertEvent(s.newEvent(p, ReferralCreated, r)); err != nil {
				return nil, false, err
			}
			// A friend who claimed an invitation keeps the offer by email; one whose code came
			// with a payment, or whom staff converted by hand, has already visited.
			if source == SourceLink || source == SourceAPI {
				return r, true, s.welcomeFriend(tx, p, r, FriendWelcome+":"+r.ID)
			}
			return r, true, nil
		}
	}
	return nil, false, friendError(EAlreadyReferred, "This friend was just referred by another advocate.", "already referred by another advocate")
}

// existingClaim says what a repeated claim means: the same one again is fine.
func existingClaim(r *Referral, a *Advocate) error {
	switch {
	case r.AdvocateID == a.ID:
		return nil
	case r.Status != Pending:
		return friendError(EExistingPatient, "This friend has already visited the practice through another referral, so they are an existing patient.", "belongs to an existing patient")
	default:
		return friendError(EAlreadyReferred, "This friend was already referred by another advocate; the first referral counts.", "already referred by another advocate")
	}
}

// friendError refuses a claim because of who the friend is, naming the friend's email.
func friendError(code, detail, why string) *Error {
	return &Error{Code: code, Detail: detail, Fields: []FieldError{{Field: "friend_email", Detail: why}}}
}

func (s *Service) withOffer(p *Practice, r *Referral) *Referral {
	if p.Offer.Description != "" {
		offer := p.Offer
		r.Offer = &offer
	}
	return r
}

// ClaimInvitation is a friend's claim on advocate a's public page (source "link"). Only
// mistakes in what was typed come back: whether the claim counted, and why not, goes to the
// friend's address alone (their welcome offer, or a note), so the page answers the same whoever
// the email belongs to, the advocate included.
func (s *Service) ClaimInvitation(ctx context.Context, p *Practice, a *Advocate, name, email string) error {
	in := NewReferral{ReferralCode: a.Code, FriendName: strings.TrimSpace(name), FriendEmail: NormalizeEmail(email), Source: SourceLink}
	if err := check(in); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		inviter, err := s.invitingAdvocate(tx, p, in)
		if err != nil {
			return err
		}
		s.present(inviter)
		r, created, err := s.claim(tx, p, inviter, in.FriendName, in.FriendEmail, SourceLink, s.Now())
		switch code := ErrorCode(err); {
		case err == nil && created:
			return nil
		case err == nil: // the same claim again: the offer once more, for whoever lost it
			return s.queueFormMessage(tx, p, FriendWelcome, in.FriendEmail, s.friendLetter(p, r.FriendName))
		case code == ESelfReferral || code == EExistingPatient || code == EAlreadyReferred:
			return s.queueFormMessage(tx, p, ClaimNotAdded, in.FriendEmail, Letter{FirstName: firstName(in.FriendName),
				Reason: code, ReferralURL: selfLink(code, inviter), PageURL: s.pageURL(p), BookingURL: p.BookingURL})
		}
		return err
	})
}

// selfLink is the advocate's own link, for the note to an advocate who claimed it themselves.
func selfLink(code string, a *Advocate) string {
	if code == ESelfReferral {
		return a.URL
	}
	return ""
}

// Referrals lists the practice's referrals, newest first.
func (s *Service) Referrals(ctx context.Context, p *Practice, f ReferralFilter, pg Page) ([]Referral, string, error) {
	f.FriendEmail, f.Search = NormalizeEmail(f.FriendEmail), strings.TrimSpace(f.Search)
	if err := check(f); err != nil {
		return nil, "", err
	}
	return list(s, ctx, pg, "ref", func(tx Tx, pg Page) ([]Referral, error) {
		return tx.ListReferrals(p.ID, f, pg)
	}, func(r Referral) string { return r.ID })
}

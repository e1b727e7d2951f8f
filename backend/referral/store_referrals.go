package referral

import "time"

// Referrals keeps the friends advocates referred, and finds the one a payment is for.
type Referrals interface {
	ReferralByID(practiceID, id string) (*Referral, error)
	ReferralByFriendEmail(practiceID, email string) (*Referral, error)
	// ReferralForPayment finds a paying friend's referral and holds it and its advocate until
	// the transaction ends: a friend's two payments, or two friends of an advocate at the
	// yearly cap, queue rather than race.
	ReferralForPayment(practiceID, email string) (*Referral, error)
	// NearMissCandidates lists, newest first, every pending referral whose friend's name could
	// be close to a payer's with these NameKeys: the same last name, and a first name that is
	// the same, a prefix of the other, or could be one edit away (same length give or take
	// one, and the same first letter or the same rest). closeNames decides among them.
	NearMissCandidates(practiceID, firstName, lastName string) ([]Referral, error)
	InsertReferral(r *Referral) (bool, error)
	UpdateReferral(r *Referral) error
	ListReferrals(practiceID string, f ReferralFilter, p Page) ([]Referral, error)
}

// NearMisses keeps payments that almost matched a referral, for the front desk to review.
type NearMisses interface {
	NearMissByID(practiceID, id string) (*NearMiss, error)
	InsertNearMiss(n *NearMiss) error
	DeleteNearMiss(practiceID, id string) error
	DeleteNearMissesBefore(t time.Time) (int64, error)
	ListNearMisses(practiceID string, p Page) ([]NearMiss, error)
}

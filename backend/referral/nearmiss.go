package referral

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Near-miss reasons.
const (
	NameMatch           = "name_match"            // the payer's email matched no one, their name did
	ClaimedAfterPayment = "claimed_after_payment" // the friend claimed the referral after paying
)

// NearMissRetention is how long a near-miss (which holds a payer's name and email) is kept.
const NearMissRetention = 30 * 24 * time.Hour

// NearMiss is a payment that probably belongs to a referral but is not certain enough to reward
// automatically; the front desk confirms or dismisses it.
type NearMiss struct {
	ID         string    `json:"id"`
	PracticeID string    `json:"-"`
	ReferralID string    `json:"referral_id"`
	AdvocateID string    `json:"advocate_id"`
	FriendName string    `json:"friend_name"`
	PayerName  string    `json:"payer_name"`
	PayerEmail string    `json:"-"`
	InvoiceID  string    `json:"invoice_id"`
	PaymentID  string    `json:"-"`
	Amount     Money     `json:"-"`
	PaidAt     time.Time `json:"paid_at"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// MarshalJSON gives the amount as a decimal string beside its currency.
func (n NearMiss) MarshalJSON() ([]byte, error) {
	type plain NearMiss
	return json.Marshal(struct {
		plain
		PayerEmail *string `json:"payer_email"`
		PaymentID  *string `json:"payment_id"`
		Amount     string  `json:"amount"`
		Currency   string  `json:"currency"`
	}{plain(n), nullable(n.PayerEmail), nullable(n.PaymentID), n.Amount.String(), n.Amount.Currency})
}

// noMatch handles a payer with no referral: a near-miss when their name closely matches a
// pending referral's friend, otherwise nothing about them is kept.
func (s *Service) noMatch(tx Tx, p *Practice, ev *PaymentEvent, pay *Payment) (string, error) {
	name := ev.payerName()
	if name == "" {
		return OutcomeNoMatch, nil
	}
	words := nameWords(name)
	if len(words) == 0 {
		return OutcomeNoMatch, nil
	}
	pending, err := tx.NearMissCandidates(p.ID, words[0], words[len(words)-1])
	if err != nil {
		return "", err
	}
	for i := range pending {
		if closeWords(words, nameWords(pending[i].FriendName)) {
			return OutcomeNearMiss, s.keepNearMiss(tx, p, &pending[i], ev, pay, NameMatch)
		}
	}
	return OutcomeNoMatch, nil
}

func (s *Service) keepNearMiss(tx Tx, p *Practice, ref *Referral, ev *PaymentEvent, pay *Payment, reason string) error {
	now := s.Now()
	return tx.InsertNearMiss(&NearMiss{ID: NewID("nms", now), PracticeID: p.ID, ReferralID: ref.ID,
		AdvocateID: ref.AdvocateID, FriendName: ref.FriendName, PayerName: ev.payerName(),
		PayerEmail: ev.Email, InvoiceID: pay.InvoiceID, PaymentID: pay.PaymentID, Amount: pay.Amount,
		PaidAt: pay.PaidAt, Reason: reason, CreatedAt: now, ExpiresAt: now.Add(NearMissRetention)})
}

// closeNames reports whether two people's names are probably the same person's: equal apart
// from case, accents and punctuation; or the same last name with a first name that is a
// nickname-like prefix ("Kate" / "Katherine") or one typo away.
func closeNames(a, b string) bool { return closeWords(nameWords(a), nameWords(b)) }

func closeWords(wa, wb []string) bool {
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if strings.Join(wa, " ") == strings.Join(wb, " ") {
		return true
	}
	if len(wa) < 2 || len(wb) < 2 || wa[len(wa)-1] != wb[len(wb)-1] {
		return false
	}
	fa, fb := wa[0], wb[0]
	short, long := fa, fb
	if len(short) > len(long) {
		short, long = long, short
	}
	return len(short) >= 3 && strings.HasPrefix(long, short) || editDistance(fa, fb) <= 1
}

// NameKeys are a name's first and last words as closeNames compares them (both empty for a
// name with no letters; the same word for a name of one): what storage indexes pending
// referrals by, for near-miss matching.
func NameKeys(name string) (first, last string) {
	words := nameWords(name)
	if len(words) == 0 {
		return "", ""
	}
	return words[0], words[len(words)-1]
}

// nameWords lower-cases a name and splits it into words of letters, dropping accents' marks.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(foldAccents(s)), func(r rune) bool { return !unicode.IsLetter(r) })
}

// foldAccents drops combining marks after decomposition, so "José" and "Jose" compare equal.
func foldAccents(s string) string {
	if isASCII(s) {
		return s // most names: nothing to fold, and no transformer to build
	}
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return folded
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// editDistance is the Levenshtein distance between two short words.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// NearMisses lists near-misses waiting for review, newest first.
func (s *Service) NearMisses(ctx context.Context, p *Practice, pg Page) ([]NearMiss, string, error) {
	return list(s, ctx, pg, "nms", func(tx Tx, pg Page) ([]NearMiss, error) {
		return tx.ListNearMisses(p.ID, pg)
	}, func(n NearMiss) string { return n.ID })
}

// DismissNearMiss forgets a near-miss the front desk says is not a referral.
func (s *Service) DismissNearMiss(ctx context.Context, p *Practice, id string) error {
	if !IsText(id) {
		return NotFound("near-miss")
	}
	return s.inTx(ctx, func(tx Tx) error {
		n, err := tx.NearMissByID(p.ID, id)
		if err != nil {
			return err
		}
		if n == nil {
			return NotFound("near-miss")
		}
		return tx.DeleteNearMiss(p.ID, id)
	})
}

// PurgeNearMisses deletes near-misses older than the retention period, for every practice.
func (s *Service) PurgeNearMisses(ctx context.Context) (n int64, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		n, err = tx.DeleteNearMissesBefore(s.Now().Add(-NearMissRetention))
		return err
	})
	return n, err
}

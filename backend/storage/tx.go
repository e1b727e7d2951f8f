package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// tx implements referral.Tx on one gorm transaction.
type tx struct {
	g        *gorm.DB
	postgres bool
}

// first loads one row into dest; no row is not an error (found is false).
func first(q *gorm.DB, dest any) (found bool, err error) {
	err = q.Take(dest).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: unable to read %T: %w", dest, err)
	}
	return true, nil
}

// insert adds a row unless a unique key is taken (inserted is false), without aborting the
// transaction: PostgreSQL would otherwise refuse every later statement in it.
func (t *tx) insert(row any) (inserted bool, err error) {
	res := t.g.Clauses(clause.OnConflict{DoNothing: true}).Create(row)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to insert %T: %w", row, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// insertNew adds a row whose key is new by construction (a fresh id, token or hash). Should
// the key be taken all the same, nothing was written, and nothing may go on as if it had
// been: that is an error.
func (t *tx) insertNew(row any, key string) error {
	inserted, err := t.insert(row)
	if err == nil && !inserted {
		err = fmt.Errorf("store: %T %s not inserted: a row with its key exists", row, key)
	}
	return err
}

// findAll runs q into rows of type R and converts each to the domain's T.
func findAll[R, T any](q *gorm.DB, convert func(*R) T) ([]T, error) {
	var rows []R
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list %T: %w", rows, err)
	}
	out := make([]T, len(rows))
	for i := range rows {
		out[i] = convert(&rows[i])
	}
	return out, nil
}

func (t *tx) save(row any) error {
	if err := t.g.Save(row).Error; err != nil {
		return fmt.Errorf("store: unable to update %T: %w", row, err)
	}
	return nil
}

// page applies a cursor and a limit (plus one, to tell whether there is a next page).
func page(q *gorm.DB, table string, p referral.Page) *gorm.DB {
	if p.Cursor != "" {
		q = q.Where(table+".id < ?", p.Cursor)
	}
	return q.Order(table + ".id DESC").Limit(p.Limit + 1)
}

func (t *tx) CreatePractice(p *referral.Practice) (bool, error) {
	return t.insert(toPracticeRow(p))
}

// LockPractice takes FOR NO KEY UPDATE, not FOR UPDATE: inserts referencing the practice take
// FOR KEY SHARE on its row, and FOR UPDATE would deadlock with them.
func (t *tx) LockPractice(id, keyHash string) (*referral.Practice, error) {
	return t.holdPractice(id, keyHash, "NO KEY UPDATE")
}

// SharePractice takes FOR SHARE: it waits for a LockPractice, not for another SharePractice.
func (t *tx) SharePractice(id, keyHash string) (*referral.Practice, error) {
	return t.holdPractice(id, keyHash, "SHARE")
}

// holdPractice reads and locks the practice, checking the API key in the same statement.
func (t *tx) holdPractice(id, keyHash, strength string) (*referral.Practice, error) {
	q := t.g.Table("practices").Select("practices.*").Where("practices.id = ?", id).
		Clauses(clause.Locking{Strength: strength, Table: clause.Table{Name: "practices"}})
	if keyHash != "" {
		q = q.Joins("JOIN api_keys ON api_keys.practice_id = practices.id").
			Where("api_keys.hash = ? AND api_keys.revoked_at IS NULL", keyHash)
	}
	var row practiceRow
	found, err := first(q, &row)
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) UpdatePractice(p *referral.Practice) error { return t.save(toPracticeRow(p)) }

func (t *tx) PracticeBySlug(slug string) (*referral.Practice, error) {
	return t.practiceWhere("slug = ?", slug)
}

func (t *tx) practiceWhere(query string, args ...any) (*referral.Practice, error) {
	var row practiceRow
	found, err := first(t.g.Where(query, args...), &row)
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) PracticeByAPIKey(hash string) (*referral.Practice, error) {
	var row practiceRow
	found, err := first(t.g.Table("practices").Select("practices.*").
		Joins("JOIN api_keys ON api_keys.practice_id = practices.id").
		Where("api_keys.hash = ? AND api_keys.revoked_at IS NULL", hash), &row)
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) CreateAPIKey(k *referral.APIKey) error {
	return t.insertNew(&apiKeyRow{ID: k.ID, PracticeID: k.PracticeID, Hash: k.Hash, Prefix: k.Prefix, CreatedAt: k.CreatedAt}, k.ID)
}

func (t *tx) CreateStaff(s *referral.Staff) (bool, error) { return t.insert(toStaffRow(s)) }

func (t *tx) advocateWhere(query string, args ...any) (*referral.Advocate, error) {
	var row advocateRow
	found, err := first(t.g.Where(query, args...), &row)
	if err != nil || !found {
		return nil, err
	}
	a := row.advocate()
	return &a, nil
}

func (t *tx) AdvocateByID(practiceID, id string) (*referral.Advocate, error) {
	return t.advocateWhere("practice_id = ? AND id = ?", practiceID, id)
}

func (t *tx) AdvocateByEmail(practiceID, email string) (*referral.Advocate, error) {
	return t.advocateWhere("practice_id = ? AND email = ?", practiceID, email)
}

func (t *tx) AdvocateByCode(practiceID, code string) (*referral.Advocate, error) {
	return t.advocateWhere("practice_id = ? AND code = ?", practiceID, code)
}

// Invitation relies on codes being unique across practices (a unique index on code).
func (t *tx) Invitation(code string) (*referral.Practice, *referral.Advocate, error) {
	a, err := t.advocateWhere("code = ?", code)
	if err != nil || a == nil {
		return nil, nil, err
	}
	p, err := t.practiceWhere("id = ?", a.PracticeID)
	if err != nil || p == nil {
		return nil, nil, err
	}
	return p, a, nil
}

func (t *tx) CountActiveAdvocates(practiceID string) (int, error) {
	var n int64
	err := t.g.Model(&advocateRow{}).Where("practice_id = ? AND status = ?", practiceID, referral.Active).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count advocates: %w", err)
	}
	return int(n), nil
}

func (t *tx) InsertAdvocate(a *referral.Advocate) (bool, error) {
	return t.insert(&advocateRow{ID: a.ID, PracticeID: a.PracticeID, Name: a.Name, Email: a.Email,
		Status: a.Status, Code: a.Code, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt})
}

func (t *tx) UpdateAdvocate(a *referral.Advocate) error {
	return t.save(&advocateRow{ID: a.ID, PracticeID: a.PracticeID, Name: a.Name, Email: a.Email,
		Status: a.Status, Code: a.Code, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt})
}

func (t *tx) ListAdvocates(practiceID string, f referral.AdvocateFilter, p referral.Page) ([]referral.Advocate, error) {
	q := t.g.Where("practice_id = ?", practiceID)
	if f.Email != "" {
		q = q.Where("email = ?", f.Email)
	}
	if f.Code != "" {
		q = q.Where("code = ?", f.Code)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Search != "" {
		q = q.Where(search("advocates.name", "advocates.email", "advocates.code"), searchArgs(f.Search)...)
	}
	if !f.IdleSince.IsZero() {
		q = q.Where("advocates.created_at < ? AND NOT EXISTS (SELECT 1 FROM referrals WHERE referrals.advocate_id = advocates.id AND referrals.claimed_at >= ?)",
			f.IdleSince, f.IdleSince)
	}
	return findAll(page(q, "advocates", p), (*advocateRow).advocate)
}

func (t *tx) referrals() *gorm.DB {
	return t.g.Table("referrals").
		Select("referrals.*, advocates.name AS advocate_name, advocates.code AS advocate_code, advocates.email AS advocate_email").
		Joins("JOIN advocates ON advocates.id = referrals.advocate_id")
}

func (t *tx) referralWhere(query string, args ...any) (*referral.Referral, error) {
	var row referralRow
	found, err := first(t.referrals().Where(query, args...), &row)
	if err != nil || !found {
		return nil, err
	}
	r := row.referral()
	return &r, nil
}

func (t *tx) ReferralByID(practiceID, id string) (*referral.Referral, error) {
	return t.referralWhere("referrals.practice_id = ? AND referrals.id = ?", practiceID, id)
}

func (t *tx) ReferralByFriendEmail(practiceID, email string) (*referral.Referral, error) {
	return t.referralWhere("referrals.practice_id = ? AND referrals.friend_email = ?", practiceID, email)
}

// ReferralForPayment locks the advocate too: FOR NO KEY UPDATE OF both tables.
func (t *tx) ReferralForPayment(practiceID, email string) (*referral.Referral, error) {
	var row referralRow
	q := t.referrals().Where("referrals.practice_id = ? AND referrals.friend_email = ?", practiceID, email).
		Clauses(clause.Locking{Strength: "NO KEY UPDATE", Table: clause.Table{Name: "referrals, advocates", Raw: true}})
	found, err := first(q, &row)
	if err != nil || !found {
		return nil, err
	}
	r := row.referral()
	return &r, nil
}

// NearMissCandidates narrows by the index on (last name, first name) alone, reading no
// referral row until its first name passes; length and substr count characters on both
// databases.
func (t *tx) NearMissCandidates(practiceID, first, last string) ([]referral.Referral, error) {
	candidates := t.g.Table("referrals").Select("id").Where("practice_id = ? AND status = ? AND friend_last_name = ?", practiceID, referral.Pending, last).
		Where(`(friend_first_name = @f
			OR length(@f) >= 3 AND substr(friend_first_name, 1, length(@f)) = @f
			OR length(friend_first_name) >= 3 AND substr(@f, 1, length(friend_first_name)) = friend_first_name
			OR abs(length(friend_first_name) - length(@f)) <= 1 AND (substr(friend_first_name, 1, 1) = substr(@f, 1, 1)
				OR substr(friend_first_name, 2) IN (substr(@f, 2), @f) OR friend_first_name = substr(@f, 2)))`,
			sql.Named("f", first))
	return t.findReferrals(t.referrals().Where("referrals.id IN (?)", candidates).Order("referrals.id DESC"))
}

func (t *tx) findReferrals(q *gorm.DB) ([]referral.Referral, error) {
	return findAll(q, (*referralRow).referral)
}

func toReferralRow(r *referral.Referral) *referralRow {
	row := &referralRow{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		FriendName: r.FriendName, FriendEmail: r.FriendEmail, Source: r.Source, Status: r.Status,
		ClaimedAt: r.ClaimedAt, ConvertedAt: r.ConvertedAt}
	row.FriendFirstName, row.FriendLastName = referral.NameKeys(r.FriendName)
	return row
}

func (t *tx) InsertReferral(r *referral.Referral) (bool, error) { return t.insert(toReferralRow(r)) }

func (t *tx) UpdateReferral(r *referral.Referral) error { return t.save(toReferralRow(r)) }

func (t *tx) ListReferrals(practiceID string, f referral.ReferralFilter, p referral.Page) ([]referral.Referral, error) {
	q := t.referrals().Where("referrals.practice_id = ?", practiceID)
	if f.AdvocateID != "" {
		q = q.Where("referrals.advocate_id = ?", f.AdvocateID)
	}
	if f.FriendEmail != "" {
		q = q.Where("referrals.friend_email = ?", f.FriendEmail)
	}
	if f.Status != "" {
		q = q.Where("referrals.status = ?", f.Status)
	}
	if f.Search != "" {
		q = q.Where("("+search("referrals.friend_name", "referrals.friend_email", "advocates.code")+
			" OR "+search("advocates.name", "advocates.email")+")", searchArgs(f.Search)...)
	}
	return t.findReferrals(page(q, "referrals", p))
}

func (t *tx) PaymentByKey(practiceID, invoiceID, paymentID string) (*referral.Payment, error) {
	var row paymentRow
	found, err := first(t.g.Where("practice_id = ? AND invoice_id = ? AND payment_id = ?", practiceID, invoiceID, paymentID), &row)
	if err != nil || !found {
		return nil, err
	}
	return row.payment(), nil
}

func (t *tx) conversions() *gorm.DB {
	return t.g.Table("conversions").
		Select("conversions.*, advocates.name AS advocate_name, advocates.email AS advocate_email, " +
			"advocates.code AS advocate_code, referrals.friend_name, referrals.friend_email").
		Joins("JOIN referrals ON referrals.id = conversions.referral_id").
		Joins("JOIN advocates ON advocates.id = conversions.advocate_id")
}

// findConversions loads conversions with their rewards (one more query, not one per row).
func (t *tx) findConversions(q *gorm.DB) ([]referral.Conversion, error) {
	var rows []conversionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read conversions: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var rewards []rewardRow
	if err := t.rewards().Where("rewards.conversion_id IN ?", ids).Find(&rewards).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read rewards: %w", err)
	}
	byConversion := make(map[string]*referral.Reward, len(rewards))
	for i := range rewards {
		r := rewards[i].reward()
		byConversion[r.ConversionID] = &r
	}
	out := make([]referral.Conversion, len(rows))
	for i := range rows {
		out[i] = rows[i].conversion()
		out[i].Reward = byConversion[rows[i].ID]
	}
	return out, nil
}

func (t *tx) conversionWhere(query string, args ...any) (*referral.Conversion, error) {
	list, err := t.findConversions(t.conversions().Where(query, args...).Limit(1))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func (t *tx) ConversionByID(practiceID, id string) (*referral.Conversion, error) {
	return t.conversionWhere("conversions.practice_id = ? AND conversions.id = ?", practiceID, id)
}

func (t *tx) StandingConversion(practiceID, referralID string) (*referral.Conversion, error) {
	return t.conversionWhere("conversions.practice_id = ? AND conversions.referral_id = ? AND conversions.status = ?",
		practiceID, referralID, referral.Rewarded)
}

// ConversionByInvoice is the invoice's standing conversion, or else its latest reversed one.
func (t *tx) ConversionByInvoice(practiceID, invoiceID string) (*referral.Conversion, error) {
	list, err := t.findConversions(t.conversions().
		Where("conversions.practice_id = ? AND conversions.invoice_id = ?", practiceID, invoiceID).
		Order("conversions.status = '" + referral.Rewarded + "' DESC, conversions.id DESC").Limit(1))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func toConversionRow(c *referral.Conversion) *conversionRow {
	row := &conversionRow{ID: c.ID, PracticeID: c.PracticeID, ReferralID: c.ReferralID,
		AdvocateID: c.AdvocateID, InvoiceID: c.InvoiceID, PaymentID: c.PaymentID,
		AmountMinor: c.Amount.Minor, Currency: c.Amount.Currency, PaidAt: c.PaidAt,
		Source: c.Source, Status: c.Status, ReversedAt: c.ReversedAt, CreatedAt: c.CreatedAt}
	if c.Status == referral.Rewarded {
		row.InvoiceKey = &row.InvoiceID
	}
	return row
}

func (t *tx) UpdateConversion(c *referral.Conversion) error { return t.save(toConversionRow(c)) }

func (t *tx) ListConversions(practiceID string, f referral.ConversionFilter, p referral.Page) ([]referral.Conversion, error) {
	q := t.conversions().Where("conversions.practice_id = ?", practiceID)
	if f.Status != "" {
		q = q.Where("conversions.status = ?", f.Status)
	}
	if f.AdvocateID != "" {
		q = q.Where("conversions.advocate_id = ?", f.AdvocateID)
	}
	if f.InvoiceID != "" {
		q = q.Where("conversions.invoice_id = ?", f.InvoiceID)
	}
	if !f.From.IsZero() {
		q = q.Where("conversions.paid_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("conversions.paid_at < ?", f.To)
	}
	return t.findConversions(page(q, "conversions", p))
}

// rewards joins each reward's advocate, for the name the front desk reads.
func (t *tx) rewards() *gorm.DB {
	return t.g.Table("rewards").Select("rewards.*, advocates.name AS advocate_name, advocates.email AS advocate_email, advocates.code AS advocate_code").
		Joins("JOIN advocates ON advocates.id = rewards.advocate_id")
}

func (t *tx) RewardByCode(practiceID, code string) (*referral.Reward, error) {
	var row rewardRow
	found, err := first(t.rewards().Where("rewards.practice_id = ? AND rewards.code = ?", practiceID, code), &row)
	if err != nil || !found {
		return nil, err
	}
	r := row.reward()
	return &r, nil
}

func (t *tx) UpdateReward(r *referral.Reward) error { return t.save(toRewardRow(r)) }

func (t *tx) ListRewards(practiceID string, f referral.RewardFilter, p referral.Page) ([]referral.Reward, error) {
	q := t.rewards().Where("rewards.practice_id = ?", practiceID)
	if f.AdvocateID != "" {
		q = q.Where("rewards.advocate_id = ?", f.AdvocateID)
	}
	if f.Status != "" {
		q = q.Where("rewards.status = ?", f.Status)
	}
	if f.Code != "" {
		q = q.Where("rewards.code = ?", f.Code)
	}
	if f.Kind != "" {
		q = q.Where("rewards.kind = ?", f.Kind)
	}
	if f.ClawbackOwed {
		q = q.Where("rewards.clawback_owed = ?", true)
	}
	if f.Search != "" {
		q = q.Where(search("advocates.name", "advocates.email", "rewards.code", "advocates.code"), searchArgs(f.Search)...)
	}
	return findAll(page(q, "rewards", p), (*rewardRow).reward)
}

func (t *tx) RefundByKey(r *referral.Refund) (*referral.Refund, error) {
	var row refundRow
	q := t.g.Where("practice_id = ? AND invoice_id = ? AND refund_id = ?", r.PracticeID, r.InvoiceID, r.RefundID)
	if r.RefundID == "" { // the key of refunds_key (migration 11)
		amount := int64(-1)
		if r.Amount != nil {
			amount = r.Amount.Minor
		}
		q = q.Where("COALESCE(amount_minor, -1) = ?", amount)
	}
	found, err := first(q, &row)
	if err != nil || !found {
		return nil, err
	}
	seen := row.refund()
	return &seen, nil
}

func (t *tx) InsertRefund(r *referral.Refund) (bool, error) { return t.insert(toRefundRow(r)) }

func (t *tx) UpdateRefund(r *referral.Refund) error { return t.save(toRefundRow(r)) }

func (t *tx) nearMisses() *gorm.DB {
	return t.g.Table("near_misses").Select("near_misses.*, referrals.friend_name").
		Joins("JOIN referrals ON referrals.id = near_misses.referral_id")
}

func (t *tx) NearMissByID(practiceID, id string) (*referral.NearMiss, error) {
	var row nearMissRow
	found, err := first(t.nearMisses().Where("near_misses.practice_id = ? AND near_misses.id = ?", practiceID, id), &row)
	if err != nil || !found {
		return nil, err
	}
	n := row.nearMiss()
	return &n, nil
}

func (t *tx) InsertNearMiss(n *referral.NearMiss) error {
	return t.insertNew(&nearMissRow{ID: n.ID, PracticeID: n.PracticeID, ReferralID: n.ReferralID,
		AdvocateID: n.AdvocateID, PayerName: n.PayerName, PayerEmail: n.PayerEmail,
		InvoiceID: n.InvoiceID, PaymentID: n.PaymentID, AmountMinor: n.Amount.Minor,
		Currency: n.Amount.Currency, PaidAt: n.PaidAt, Reason: n.Reason, CreatedAt: n.CreatedAt,
		ExpiresAt: n.ExpiresAt}, n.ID)
}

func (t *tx) DeleteNearMiss(practiceID, id string) error {
	if err := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&nearMissRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete near-miss: %w", err)
	}
	return nil
}

func (t *tx) DeleteNearMissesBefore(before time.Time) (int64, error) {
	res := t.g.Where("created_at < ?", before).Delete(&nearMissRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to purge near-misses: %w", res.Error)
	}
	return res.RowsAffected, nil
}

func (t *tx) ListNearMisses(practiceID string, p referral.Page) ([]referral.NearMiss, error) {
	return findAll(page(t.nearMisses().Where("near_misses.practice_id = ?", practiceID), "near_misses", p), (*nearMissRow).nearMiss)
}

// InsertEvent queues deliveries only for an event it wrote: hooks would otherwise be sent one
// that is not in the outbox. On PostgreSQL the event's insert feeds the deliveries' in one
// statement; SQLite, with no round trips to save, runs the two in turn.
func (t *tx) InsertEvent(e *referral.Event) error {
	row := &eventRow{ID: e.ID, PracticeID: e.PracticeID, Type: e.Type, Data: string(e.Data), CreatedAt: e.CreatedAt}
	if !t.postgres {
		if err := t.insertNew(row, e.ID); err != nil {
			return err
		}
		return t.queueDeliveries(e)
	}
	var written string
	inserted, err := t.returning([]any{&written}, `WITH event AS (
			INSERT INTO events (id, practice_id, type, data, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id, practice_id, type, created_at),
		queued AS (
			INSERT INTO deliveries (event_id, hook_id, practice_id, status, attempts, next_attempt_at, created_at)
			SELECT event.id, hooks.id, hooks.practice_id, ?, 0, event.created_at, event.created_at
			FROM event JOIN hooks ON hooks.practice_id = event.practice_id AND hooks.event = event.type)
		SELECT id FROM event`,
		row.ID, row.PracticeID, row.Type, row.Data, row.CreatedAt, deliveryPending)
	if err != nil {
		return fmt.Errorf("store: insert event %s: %w", e.ID, err)
	}
	if !inserted {
		return fmt.Errorf("store: event %s not inserted: a row with its key exists", e.ID)
	}
	return nil
}

func (t *tx) ListEvents(practiceID, eventType string, p referral.Page) ([]referral.Event, error) {
	q := t.g.Where("practice_id = ?", practiceID)
	if eventType != "" {
		q = q.Where("type = ?", eventType)
	}
	return findAll(page(q, "events", p), (*eventRow).event)
}

var _ referral.Store = (*DB)(nil)

func (t *tx) CountPractices() (int, error) {
	var n int64
	if err := t.g.Model(&practiceRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count practices: %w", err)
	}
	return int(n), nil
}

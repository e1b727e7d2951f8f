package dashboard

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type reportsPage struct {
	view
	Report *referral.Report
	Chart  chart
}

func (s *dashboard) reports(w http.ResponseWriter, r *http.Request, v *visit) {
	rep, err := s.svc.Reports(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	pages.Render(w, http.StatusOK, "reports", reportsPage{view: v.view("Reports", "reports"), Report: rep, Chart: newChart(rep.Months)})
}

// csvCell keeps a spreadsheet from running a name as a formula (=, +, -, @ first).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func startCSV(w http.ResponseWriter, name string) *csv.Writer {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return csv.NewWriter(w)
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// conversionsCSV writes every conversion, newest first.
func (s *dashboard) conversionsCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	out := startCSV(w, "conversions.csv")
	out.Write([]string{"id", "paid_at", "invoice_id", "amount", "currency", "friend_name", "friend_email",
		"advocate_name", "status", "source", "reward_code", "reward_amount", "reward_status"})
	err := s.svc.EachConversion(r.Context(), v.practice(), referral.ConversionFilter{}, func(c *referral.Conversion) {
		var code, amount, status string
		if c.Reward != nil {
			code, amount, status = c.Reward.Code, c.Reward.Amount.String(), c.Reward.Status
		}
		out.Write([]string{c.ID, c.PaidAt.Format(time.RFC3339), csvCell(c.InvoiceID), c.Amount.String(), c.Amount.Currency,
			csvCell(c.FriendName), csvCell(c.FriendEmail), csvCell(c.AdvocateName), c.Status, c.Source, code, amount, status})
	})
	s.finishCSV(r, out, err)
}

// rewardsCSV writes every reward, newest first.
func (s *dashboard) rewardsCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	out := startCSV(w, "rewards.csv")
	out.Write([]string{"id", "issued_at", "code", "kind", "amount", "currency", "advocate_name", "status",
		"clawback_owed", "redeemed_at", "voided_at"})
	err := s.svc.EachReward(r.Context(), v.practice(), func(rw *referral.Reward) {
		out.Write([]string{rw.ID, rw.IssuedAt.Format(time.RFC3339), rw.Code, rw.Kind, rw.Amount.String(), rw.Amount.Currency,
			csvCell(rw.AdvocateName), rw.Status, strconv.FormatBool(rw.ClawbackOwed), stamp(rw.RedeemedAt), stamp(rw.VoidedAt)})
	})
	s.finishCSV(r, out, err)
}

// finishCSV flushes; an error after the header went out can only cut the file short, so it
// is logged through fail's logging and the file ends.
func (s *dashboard) finishCSV(r *http.Request, out *csv.Writer, err error) {
	out.Flush()
	if err != nil {
		logFailure(r, err)
	}
}

package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type rewardsPage struct {
	view
	Code      string
	Found     *referral.Reward
	CanUndo   bool
	Matches   []referral.Reward // rewards found by their advocate's name or email
	More      bool              // more match than the page shows
	Wallet    []referral.Reward
	Held      []referral.Reward // pending until their hold ends
	Clawbacks []referral.Reward
}

// rewards looks a code up and lists the front desk's tasks, wallet credit to add and
// clawbacks owed, and the rewards on hold.
func (s *dashboard) rewards(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	p := v.practice()
	page := rewardsPage{view: v.view("Rewards", "rewards"), Code: strings.TrimSpace(q.Get("code"))}
	switch q.Get("done") {
	case "redeemed":
		page.Notice = "Redeemed. You can undo this for 5 minutes."
	case "undone":
		page.Notice = "Undone: the reward can be redeemed again."
	case "settled":
		page.Notice = "Clawback settled: it leaves the list of clawbacks owed."
	}
	ctx := r.Context()
	status := http.StatusOK
	if page.Code != "" {
		found, next, err := s.svc.Rewards(ctx, p, referral.RewardFilter{Search: page.Code}, referral.Page{})
		if errs, ok := fieldErrors(err, map[string][2]string{"q": {"code", "Search"}}); ok {
			page.Errors, err = errs, nil
		}
		if err != nil {
			s.fail(w, r, v.view("", ""), err)
			return
		}
		page.Found, page.Matches, page.More = exactCode(found, page.Code), found, next != ""
		if f := page.Found; f != nil {
			page.Matches = nil
			page.CanUndo = f.Status == referral.Redeemed && f.RedeemedAt != nil && s.svc.Now().Sub(*f.RedeemedAt) <= referral.UndoWindow
		} else if len(found) == 0 && page.Errors == nil {
			page.Alert, status = "No reward has the code "+referral.NormalizeCode(page.Code)+", and no advocate with that name or email has a reward.", http.StatusNotFound
		}
	}
	var err error
	if page.Wallet, _, err = s.svc.Rewards(ctx, p, referral.RewardFilter{Kind: referral.WalletCredit, Status: referral.Issued}, referral.Page{}); err == nil {
		page.Clawbacks, _, err = s.svc.Rewards(ctx, p, referral.RewardFilter{ClawbackOwed: true}, referral.Page{})
	}
	if err == nil {
		page.Held, _, err = s.svc.Rewards(ctx, p, referral.RewardFilter{Status: referral.Pending}, referral.Page{})
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	pages.Render(w, status, "rewards", page)
}

// redeem marks a reward used, in one tap; wallet credit is "credited" the same way.
func (s *dashboard) redeem(w http.ResponseWriter, r *http.Request, v *visit) {
	code := r.PostFormValue("code")
	rw, err := s.svc.RedeemReward(r.Context(), v.practice(), code)
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/rewards?done=redeemed&code="+url.QueryEscape(rw.Code), http.StatusSeeOther)
}

func (s *dashboard) undoRedeem(w http.ResponseWriter, r *http.Request, v *visit) {
	rw, err := s.svc.UndoRedeem(r.Context(), v.practice(), r.PostFormValue("code"))
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/rewards?done=undone&code="+url.QueryEscape(rw.Code), http.StatusSeeOther)
}

// exactCode is the reward whose code was typed, when one was: it is shown on its own, ready to
// redeem.
func exactCode(found []referral.Reward, text string) *referral.Reward {
	code := referral.NormalizeCode(text)
	for i := range found {
		if found[i].Code != "" && found[i].Code == code {
			return &found[i]
		}
	}
	return nil
}

// settleClawback records that the front desk settled a clawback owed in service credit.
func (s *dashboard) settleClawback(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := s.svc.SettleClawback(r.Context(), v.practice(), r.PostFormValue("code")); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/rewards?done=settled", http.StatusSeeOther)
}

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
	}
	ctx := r.Context()
	status := http.StatusOK
	if page.Code != "" {
		found, _, err := s.svc.Rewards(ctx, p, referral.RewardFilter{Code: page.Code}, referral.Page{Limit: 1})
		if errs, ok := fieldErrors(err, map[string][2]string{"code": {"code", "Reward code"}}); ok {
			page.Errors, err = errs, nil
		}
		if err != nil {
			s.fail(w, r, v.view("", ""), err)
			return
		}
		if len(found) == 1 {
			page.Found = &found[0]
			page.CanUndo = found[0].Status == referral.Redeemed && found[0].RedeemedAt != nil &&
				s.now().Sub(*found[0].RedeemedAt) <= referral.UndoWindow
		} else if page.Errors == nil {
			page.Alert, status = "No reward has the code "+referral.NormalizeCode(page.Code)+".", http.StatusNotFound
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
	s.render(w, status, "rewards", page)
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

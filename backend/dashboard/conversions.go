package dashboard

import (
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type conversionPage struct {
	view
	Search    string
	Referrals []referral.Referral
	Picked    string
	InvoiceID string
	Amount    string
}

// newConversion lists pending referrals, narrowed by a name or email search.
func (s *dashboard) newConversion(w http.ResponseWriter, r *http.Request, v *visit) {
	page := conversionPage{view: v.view("Mark a conversion", "conversion"), Search: strings.TrimSpace(r.URL.Query().Get("q"))}
	s.renderConversion(w, r, v, http.StatusOK, page)
}

func (s *dashboard) renderConversion(w http.ResponseWriter, r *http.Request, v *visit, status int, page conversionPage) {
	// The search is the referrals list's: a friend's name or email, or their advocate's.
	list, _, err := s.svc.Referrals(r.Context(), v.practice(), referral.ReferralFilter{Status: referral.Pending, Search: page.Search}, referral.Page{})
	if errs, ok := fieldErrors(err, map[string][2]string{"q": {"q", "Search"}}); ok {
		if page.Errors == nil {
			page.Errors = map[string]string{}
		}
		maps.Copy(page.Errors, errs)
		err = nil
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Referrals = list
	pages.Render(w, status, "conversion", page)
}

var conversionInputs = map[string][2]string{
	"invoice_id": {"invoice_id", "Invoice ID"},
	"amount":     {"amount", "Amount"},
}

// markConversion converts a referral by hand, exactly as Record Conversion would.
func (s *dashboard) markConversion(w http.ResponseWriter, r *http.Request, v *visit) {
	in := referral.ManualConversion{ReferralID: r.PostFormValue("referral_id"),
		InvoiceID: r.PostFormValue("invoice_id"), Amount: referral.Amount(strings.TrimSpace(r.PostFormValue("amount")))}
	_, err := s.svc.ConvertManually(r.Context(), v.practice(), in)
	if err == nil {
		http.Redirect(w, r, "/app?converted=1", http.StatusSeeOther)
		return
	}
	var e *referral.Error
	if errors.As(err, &e) && e.Code == referral.EInvalid && len(e.Fields) > 0 && e.Fields[0].Field == "referral_id" {
		s.fail(w, r, v.view("", ""), referral.NotFound("referral")) // another practice's, or none
		return
	}
	page := conversionPage{view: v.view("Mark a conversion", "conversion"), Picked: in.ReferralID,
		InvoiceID: in.InvoiceID, Amount: string(in.Amount)}
	if errs, ok := fieldErrors(err, conversionInputs); ok {
		page.Errors = errs
		s.renderConversion(w, r, v, http.StatusUnprocessableEntity, page)
		return
	}
	s.fail(w, r, v.view("", ""), err)
}

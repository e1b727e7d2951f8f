package dashboard

import "github.com/advocateloop/advocateloop/backend/referral"

// sourceLabel says how a conversion came, in the front desk's words rather than the API's.
func sourceLabel(source string) string {
	switch source {
	case referral.SourcePayment:
		return "paid invoice"
	case referral.SourceManual:
		return "marked by hand"
	}
	return source
}

// anyConversions reports whether any month of a report has a conversion: twelve rows of
// zeros say nothing a sentence cannot say better.
func anyConversions(months []referral.MonthTotal) bool {
	for _, m := range months {
		if m.Count > 0 {
			return true
		}
	}
	return false
}

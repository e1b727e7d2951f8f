package referral

import "fmt"

// explain says why a payment converted nothing, in words a Zap builder reads in the run's
// output. It names invoices and amounts, never a patient.
func (r *ConversionResult) explain(p *Practice, pay *Payment) {
	var why string
	switch r.Outcome {
	case OutcomeAlreadyRewarded:
		why = "This friend's referral already converted and rewarded its advocate; a referral rewards once."
		if r.Conversion != nil {
			why = fmt.Sprintf("This friend's referral already converted on invoice %s; a referral rewards once.", r.Conversion.InvoiceID)
		}
	case OutcomeBelowMinimum:
		why = fmt.Sprintf("%s is under this practice's minimum of %s, so the referral stays pending.", pay.Amount.Display(), p.Reward.Minimum.Display())
	case OutcomeCurrencyMismatch:
		why = fmt.Sprintf("The payment is in %s but this practice works in %s, so nothing was rewarded; the referral stays pending.", pay.Amount.Currency, p.Currency)
	case OutcomeRefunded:
		why = fmt.Sprintf("Invoice %s was refunded before this payment arrived, so it rewards nobody.", pay.InvoiceID)
	case OutcomeNearMiss:
		why = "This payer may be a referred friend (a close name, or an offer claimed after paying); the front desk confirms or dismisses it under Near-misses in the dashboard."
	case OutcomeNoMatch:
		why = "The payer has no referral at this practice. That is normal: most payments are not from referred friends."
	case OutcomeNotPaid:
		why = "The invoice's status is not a paid one, so nothing was rewarded."
	case OutcomeInvoiceConverted:
		why = fmt.Sprintf("Invoice %s already converted another referral; an invoice converts one referral at most.", pay.InvoiceID)
	default:
		return
	}
	r.Reason = &why
}

// explain says why a refund reversed nothing.
func (r *ReversalResult) explain() {
	var why string
	switch r.Outcome {
	case OutcomePartialRefund:
		why = "This partial refund leaves at least the practice's minimum paid, so the reward stands; later refunds of the invoice add up."
	case OutcomeAlreadyReversed:
		why = fmt.Sprintf("Invoice %s's conversion was reversed before.", r.InvoiceID)
	case OutcomeNoConversion:
		why = fmt.Sprintf("Invoice %s converted no referral. The refund is remembered, so a payment of it arriving later rewards nobody.", r.InvoiceID)
	default:
		return
	}
	r.Reason = &why
}

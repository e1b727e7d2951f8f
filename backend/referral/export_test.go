package referral

// NormalizePaymentEvent is Record Conversion's validation of a payment event, for the fuzz
// target that checks what it lets through.
var NormalizePaymentEvent = (*PaymentEvent).normalize

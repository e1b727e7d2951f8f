package referral

// NormalizePaymentEvent is Record Conversion's validation of a payment event, for the fuzz
// target that checks what it lets through.
var NormalizePaymentEvent = (*PaymentEvent).normalize

// CloseNames is the near-miss rule, for the test that holds storage's candidates to it.
var CloseNames = closeNames

package webhook

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/advocateloop/advocateloop/backend/jsoncheck"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// The allow-list: every name a sender may use for each field AdvocateLoop reads, normalised
// (lower case, letters and digits only, so "Invoice Number", "invoice_number" and
// "InvoiceNumber" are one name). Nothing outside this table is ever read or kept. README and
// openapi.yaml show the same table.
var paymentNames = map[string][]string{
	"invoice_id":    {"invoiceid", "invoicenumber", "invoiceno", "invoicenum", "invoice"},
	"payment_id":    {"paymentid", "transactionid", "chargeid", "paymentnumber"},
	"email":         {"email", "patientemail", "emailaddress", "clientemail", "customeremail", "payeremail"},
	"name":          {"name", "fullname", "patientname", "patientfullname", "clientname", "customername"},
	"first_name":    {"firstname", "patientfirstname", "givenname", "fname"},
	"last_name":     {"lastname", "patientlastname", "surname", "familyname", "lname"},
	"amount":        {"amount", "amountpaid", "total", "totalpaid", "paidamount", "paymentamount", "invoicetotal", "grandtotal"},
	"currency":      {"currency", "currencycode"},
	"paid_at":       {"paidat", "datepaid", "paymentdate", "paiddate", "paidon", "date"},
	"status":        {"status", "paymentstatus", "invoicestatus"},
	"referral_code": {"referralcode", "refcode", "promocode"},
}

var refundNames = map[string][]string{
	"invoice_id":      paymentNames["invoice_id"],
	"refund_id":       {"refundid", "refundnumber", "creditnoteid"},
	"amount_refunded": {"amountrefunded", "refundamount", "refundedamount", "refundtotal", "amount"},
}

// PaymentNames and RefundNames expose the allow-list for documentation and its tests.
func PaymentNames() map[string][]string { return paymentNames }
func RefundNames() map[string][]string  { return refundNames }

// PaymentEvent maps a webhook body onto the payment event Record Conversion takes.
func PaymentEvent(body []byte) (referral.PaymentEvent, error) {
	f, err := pick(body, paymentNames, "invoice_id", "amount")
	if err != nil {
		return referral.PaymentEvent{}, err
	}
	return referral.PaymentEvent{InvoiceID: f["invoice_id"], PaymentID: f["payment_id"],
		Email: f["email"], Name: f["name"], FirstName: f["first_name"], LastName: f["last_name"],
		Amount: referral.Amount(money(f["amount"])), Currency: f["currency"], PaidAt: f["paid_at"],
		Status: f["status"], ReferralCode: f["referral_code"]}, nil
}

// RefundEvent maps a webhook body onto the refund Reverse Conversion takes.
func RefundEvent(body []byte) (referral.RefundEvent, error) {
	f, err := pick(body, refundNames, "invoice_id")
	if err != nil {
		return referral.RefundEvent{}, err
	}
	ev := referral.RefundEvent{InvoiceID: f["invoice_id"], RefundID: f["refund_id"]}
	// Only a refund without an amount is a full one; an amount sent blank is refused.
	if v, sent := f["amount_refunded"]; sent {
		ev.AmountRefunded = new(referral.Amount(money(v)))
	}
	return ev, nil
}

// pick reads the allow-listed fields of a JSON object, looking one level into nested objects
// too ({"patient": {"email": …}} reads as "patient email"), and names what is missing. A field
// sent blank is kept as "" (so a blank refund amount is not taken for none), a required one
// counts as missing.
func pick(body []byte, names map[string][]string, required ...string) (map[string]string, error) {
	body = jsoncheck.MarkInvalidUTF8(body)
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || doc == nil {
		return nil, referral.Errorf(referral.EInvalid, "The webhook body must be one JSON object.")
	}
	// Decoding keeps the last of a name given twice, at every level read here.
	if name, dup := jsoncheck.DuplicateName(body, 2); dup {
		return nil, referral.InvalidField(name, "is given more than once; send each field once")
	}
	// Top-level names first, then nested ones, each in sorted order, so the same body always
	// reads the same way even when two names normalise alike.
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	flat := map[string]string{}
	shaped := map[string]bool{} // names holding an object or array at the top
	for _, k := range keys {
		setOnce(flat, normal(k), doc[k])
		switch doc[k].(type) {
		case map[string]any, []any:
			shaped[normal(k)] = true
		}
	}
	for _, k := range keys {
		inner, ok := doc[k].(map[string]any)
		if !ok {
			continue
		}
		innerKeys := make([]string, 0, len(inner))
		for ik := range inner {
			innerKeys = append(innerKeys, ik)
		}
		sort.Strings(innerKeys)
		for _, ik := range innerKeys {
			setOnce(flat, normal(k+ik), inner[ik])
			setOnce(flat, normal(ik), inner[ik])
		}
	}
	out := map[string]string{}
	for field, aliases := range names {
		for _, alias := range aliases { // the first alias present wins, in the table's order
			v, ok := flat[alias]
			if ok && v != "" {
				out[field] = v
				break
			}
			if ok || shaped[alias] {
				// Sent blank, or as an object or array where a value belongs: kept as blank
				// unless another name has a value, never taken for a field not sent.
				out[field] = ""
			}
		}
	}
	var missing []referral.FieldError
	for _, field := range required {
		if out[field] == "" {
			missing = append(missing, referral.FieldError{Field: field,
				Detail: "is missing; tried the names " + strings.Join(names[field], ", ") + " (any case, spaces or underscores)"})
		}
	}
	if len(missing) > 0 {
		sort.Slice(missing, func(i, j int) bool { return missing[i].Field < missing[j].Field })
		return nil, referral.Invalid(missing...)
	}
	return out, nil
}

// setOnce keeps a scalar value under a normalised name; the first one seen stays, and objects
// or arrays (line items, treatments…) are never read.
func setOnce(flat map[string]string, name string, v any) {
	if _, taken := flat[name]; taken {
		return
	}
	switch v := v.(type) {
	case string:
		flat[name] = strings.TrimSpace(v)
	case json.Number:
		flat[name] = v.String()
	case bool:
		flat[name] = strconv.FormatBool(v)
	}
}

// normal is a field name reduced to lower-case letters and digits.
func normal(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// money drops what people write around an amount, "$1,250.00" → "1250.00", when it reads one
// way only. Anything else is left as it came, for the amount's own validation to refuse, never
// guessed: "1,50" is not 150, "1.250,00" not 1.25, "1$50" not 150.
func money(s string) string {
	s = strings.TrimSpace(s)
	if moneyBetweenDigits.MatchString(s) {
		return s
	}
	n := strings.NewReplacer("$", "", "€", "", "£", "", " ", "").Replace(s)
	if strings.Contains(n, ",") {
		if !moneyThousands.MatchString(n) {
			return s
		}
		n = strings.ReplaceAll(n, ",", "")
	}
	if strings.Trim(n, "+-") == "" {
		return s // a sign alone is no amount
	}
	return n
}

var (
	// moneyBetweenDigits is a space or currency sign inside a number: "1 250,00", "1$50".
	moneyBetweenDigits = regexp.MustCompile(`[0-9.,][\s$€£]+[0-9.,]`)
	// moneyThousands groups digits by three (1,234,567.00), or as in India (12,34,567.00).
	moneyThousands = regexp.MustCompile(`^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]{1,2}(,[0-9]{2})*,[0-9]{3})(\.[0-9]*)?$`)
)

package webhook

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
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

// moneyFields are read at the top of a body, or nested only under a name that says whose
// amount it is ({"payment": {"amount": …}} is "payment amount"): a bare "amount" inside a tax
// line or an item is never the payment's.
var moneyFields = map[string]bool{"amount": true, "amount_refunded": true}

// genericNames are names read only when none of the field's specific ones was sent: a refund
// body often carries the invoice's "amount" beside its "refund_amount".
var genericNames = map[string]string{"amount_refunded": "amount"}

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
		Amount: referral.Amount(f["amount"]), Currency: f["currency"], PaidAt: f["paid_at"],
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
		ev.AmountRefunded = new(referral.Amount(v))
	}
	return ev, nil
}

// pick reads the allow-listed fields of a JSON object, looking one level into nested objects
// too ({"patient": {"email": …}} reads as "patient email"), and names what is missing. A field
// sent blank (or as an object where a value belongs) is kept as "", so a blank refund amount is
// not taken for none; a required one counts as missing.
//
// A name at the top of the body always beats a nested one: the top of a payment is the
// payment, while what objects inside it hold may be a tax line's amount or an item's total.
// Two names for one field at the same level that carry different values are refused, naming
// both, rather than one picked by the order of a table the sender never saw.
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
	top, nested, joined := sentValues{}, sentValues{}, sentValues{}
	for k, v := range doc {
		top.add(normal(k), k, v)
		inner, _ := v.(map[string]any)
		for ik, iv := range inner {
			nested.add(normal(k+ik), k+"."+ik, iv)
			joined.add(normal(k+ik), k+"."+ik, iv)
			if normal(ik) != normal(k+ik) {
				nested.add(normal(ik), k+"."+ik, iv)
			}
		}
	}
	out := map[string]string{}
	var problems []referral.FieldError
	for field, aliases := range names {
		levels := []sentValues{top, nested}
		if moneyFields[field] {
			levels = []sentValues{top, joined}
		}
		v, ok, err := read(field, without(aliases, genericNames[field]), levels...)
		if generic := genericNames[field]; generic != "" && !ok && err == nil {
			v, ok, err = read(field, []string{generic}, levels...)
		}
		switch {
		case err != nil:
			problems = append(problems, *err)
		case ok:
			out[field] = v
		}
	}
	for _, field := range required {
		refused := slices.ContainsFunc(problems, func(p referral.FieldError) bool { return p.Field == field })
		if out[field] == "" && !refused {
			problems = append(problems, referral.FieldError{Field: field,
				Detail: "is missing; tried the names " + strings.Join(names[field], ", ") + " (any case, spaces or underscores)"})
		}
	}
	if len(problems) > 0 {
		sort.Slice(problems, func(i, j int) bool { return problems[i].Field < problems[j].Field })
		return nil, referral.Invalid(problems...)
	}
	return out, nil
}

// without is names less one.
func without(names []string, name string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == name })
}

// sent is a value a body gives, and where: "Total", "patient.email".
type sent struct {
	path   string
	value  string // trimmed text, "" when blank
	shaped bool   // an object or array where a value belongs: never read, only noted as sent
}

// sentValues are the values one level of a body gives, by normalised name.
type sentValues map[string][]sent

// add keeps v under name unless it is null (not sent). Objects and arrays (line items,
// treatments…) are never read: they only count as a field sent blank.
func (s sentValues) add(name, path string, v any) {
	switch v := v.(type) {
	case string:
		s[name] = append(s[name], sent{path: path, value: strings.TrimSpace(v)})
	case json.Number:
		s[name] = append(s[name], sent{path: path, value: v.String()})
	case bool:
		s[name] = append(s[name], sent{path: path, value: strconv.FormatBool(v)})
	case map[string]any, []any:
		s[name] = append(s[name], sent{path: path, shaped: true})
	}
}

// read finds a field by its names: at the top of the body if any of them is there as text, a
// number or true/false, else one level down; ok is false when none was sent at all.
func read(field string, aliases []string, levels ...sentValues) (value string, ok bool, conflict *referral.FieldError) {
	shaped := false
	for _, level := range levels {
		var given []sent
		for _, alias := range aliases {
			for _, v := range level[alias] {
				samePath := func(g sent) bool { return g.path == v.path } // a nested value may match twice
				switch {
				case v.shaped:
					shaped = true
				case !slices.ContainsFunc(given, samePath):
					given = append(given, v)
				}
			}
		}
		if len(given) > 0 {
			return decide(field, given)
		}
	}
	return "", shaped, nil // sent only as objects or arrays: blank
}

// decide is a field's value from what its names carry at one level: the one value they agree
// on, or blank when none has a value. Different values are refused, naming where each was.
func decide(field string, given []sent) (string, bool, *referral.FieldError) {
	value, agree := "", true
	var paths []string
	for _, v := range given {
		if v.value == "" {
			continue
		}
		agree = agree && (value == "" || v.value == value)
		value = cmp.Or(value, v.value)
		paths = append(paths, v.path)
	}
	if !agree {
		sort.Strings(paths)
		for i, p := range paths {
			paths[i] = strconv.Quote(p)
		}
		return "", false, &referral.FieldError{Field: field, Detail: "is given as " + strings.Join(paths, " and ") +
			" with different values; send it once, or the same value under each name"}
	}
	return value, true, nil
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

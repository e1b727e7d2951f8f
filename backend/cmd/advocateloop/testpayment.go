package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// sendTestPayment signs a sample payment with a practice's webhook secret and sends it to the
// practice's own /v1/webhooks/{practice_id}/payments, so a practice wiring its own system can
// check the set-up end to end. It talks to the server only, like the practice's system would.
func sendTestPayment(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("send-test-payment", flag.ContinueOnError)
	server := flags.String("url", "http://localhost:8080", "the AdvocateLoop server")
	practice := flags.String("practice", "", "the practice's id (prc_…), as printed by practice create and shown in its webhook URLs under Settings")
	secret := flags.String("secret", "", "the practice's webhook secret (whsec_…)")
	email := flags.String("email", "test.patient@example.com", "the payer's email; a referred friend's email converts")
	amount := flags.String("amount", "1.00", "the amount paid")
	invoice := flags.String("invoice", "", "the invoice number (default: a new TEST- number)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if !referral.IsID("prc", *practice) {
		return fmt.Errorf("--practice must be the practice's id, prc_ and 26 characters: practice create prints it, and the dashboard shows it in the webhook URLs under Settings")
	}
	if !strings.HasPrefix(*secret, "whsec_") {
		return fmt.Errorf("--secret must be the practice's webhook secret, starting with whsec_")
	}
	now := time.Now()
	if *invoice == "" {
		*invoice = "TEST-" + strconv.FormatInt(now.Unix(), 10)
	}
	body, _ := json.Marshal(map[string]string{"invoice_number": *invoice, "email": *email,
		"amount_paid": *amount, "payment_status": "paid"})
	id, ts := referral.NewID("msg", now), strconv.FormatInt(now.Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(*server, "/")+"/v1/webhooks/"+*practice+"/payments", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", webhook.SignatureHeader(*secret, id, ts, body))
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("sending the test payment: %w", err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	fmt.Fprintf(stdout, "sent %s for invoice %s: HTTP %d\n%s\n", *amount, *invoice, res.StatusCode, answer)
	if res.StatusCode >= 300 {
		return fmt.Errorf("the server refused the test payment (HTTP %d)", res.StatusCode)
	}
	return nil
}

package referral

import (
	"context"
	"slices"
)

// The steps that get a new practice live, shown on the dashboard's home page until each is
// done: by the data (a key exists, a payment came in, …) or by the admin dismissing it.
const (
	StepAPIKey          = "api_key"          // an API key for Zapier exists
	StepAestheticRecord = "aesthetic_record" // a payment came in through the API or a webhook
	StepWidget          = "widget"           // the widget may run on the practice's own site
	StepEmail           = "email"            // the server delivers email
)

// ChecklistSteps are the steps in the order the home page lists them.
var ChecklistSteps = []string{StepAPIKey, StepAestheticRecord, StepWidget, StepEmail}

// ChecklistStep is one step and its state.
type ChecklistStep struct {
	Key       string
	Done      bool // the data says so
	Dismissed bool // the admin said so
}

// Checklist is the practice's steps; mailDelivered is the server's configuration, which
// no practice can change.
func (s *Service) Checklist(ctx context.Context, p *Practice, mailDelivered bool) ([]ChecklistStep, error) {
	done := map[string]bool{StepWidget: len(p.AllowedOrigins) > 0, StepEmail: mailDelivered}
	var dismissed []string
	err := s.inTx(ctx, func(tx Tx) error {
		keys, err := tx.ListAPIKeys(p.ID)
		if err != nil {
			return err
		}
		done[StepAPIKey] = slices.ContainsFunc(keys, func(k APIKey) bool { return k.RevokedAt == nil })
		if done[StepAestheticRecord], err = tx.PaymentReceived(p.ID); err != nil {
			return err
		}
		dismissed, err = tx.ChecklistDismissals(p.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	steps := make([]ChecklistStep, len(ChecklistSteps))
	for i, key := range ChecklistSteps {
		steps[i] = ChecklistStep{Key: key, Done: done[key], Dismissed: slices.Contains(dismissed, key)}
	}
	return steps, nil
}

// DismissChecklistStep hides a step the admin has done another way, or does not need.
func (s *Service) DismissChecklistStep(ctx context.Context, p *Practice, key string) error {
	if !slices.Contains(ChecklistSteps, key) {
		return NotFound("checklist step")
	}
	return s.inTx(ctx, func(tx Tx) error {
		_, err := tx.InsertChecklistDismissal(p.ID, key, s.Now())
		return err
	})
}

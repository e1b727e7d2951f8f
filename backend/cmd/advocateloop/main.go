// Command advocateloop runs the AdvocateLoop server and its administration commands:
//
//	advocateloop [serve]                                  serve the API (the default)
//	advocateloop practice create --name N --admin-email E create a practice, print its secrets
//	advocateloop practice settings --slug S [--brand-color …]  change its patient pages and widget
//	advocateloop migrate                                  bring the database schema up to date
//	advocateloop send-test-payment --practice prc_… --secret whsec_… [--url U]
//	                                                      sign and send a sample payment webhook
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // every IANA zone a practice may pick works on a host without the tz database

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(logging.New(os.Stderr))
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "advocateloop:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stdout)
	case "migrate":
		a, err := app.Open(ctx, cfg)
		if err != nil {
			return err
		}
		defer a.Close()
		fmt.Fprintln(stdout, "database schema is up to date")
		return nil
	case "send-test-payment":
		return sendTestPayment(ctx, args, stdout)
	case "practice":
		switch {
		case len(args) > 0 && args[0] == "create":
			return createPractice(ctx, cfg, args[1:], stdout)
		case len(args) > 0 && args[0] == "settings":
			return changeSettings(ctx, cfg, args[1:], stdout)
		}
		return errors.New("usage: advocateloop practice create --name NAME --admin-email EMAIL [--currency USD] [--time-zone America/New_York]\n" +
			"       advocateloop practice settings --slug SLUG [--brand-color #6b4eff] [--logo-url URL] [--booking-url URL] [--allowed-origins ORIGIN,…] [--offer TEXT] [--welcome-code CODE]")
	}
	return fmt.Errorf("unknown command %q: use serve, migrate, practice create, practice settings or send-test-payment", cmd)
}

func serve(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	// While there is no practice, /setup takes this one-time token: a stranger who reaches the
	// server first cannot claim it.
	firstRun, err := a.Service.NewFirstRunToken(ctx)
	if err != nil {
		return err
	}
	return a.Serve(ctx, func(addr string) {
		fmt.Fprintf(stdout, "AdvocateLoop is serving on %s (API reference: %s/docs).\n", cfg.PublicURL, cfg.PublicURL)
		if a.Mail.Delivering() {
			fmt.Fprintf(stdout, "Email is sent through %s as %s.\n", a.Mail.Description(), a.Mail.From())
		} else {
			fmt.Fprintf(stdout, "Email is NOT being delivered: ADVOCATELOOP_SMTP_URL is not set, so messages wait in the dashboard's Mailbox at %s/app/mail.\n", cfg.PublicURL)
		}
		if firstRun != "" {
			fmt.Fprintf(stdout, "No practice yet. Open %s/setup?token=%s to create the first one and its admin (the link works once, for %d hours).\n",
				cfg.PublicURL, firstRun, int(referral.FirstRunTokenLifetime.Hours()))
		}
	})
}

func createPractice(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("practice create", flag.ContinueOnError)
	var in referral.NewPractice
	flags.StringVar(&in.Name, "name", "", "the practice's name, as patients know it")
	flags.StringVar(&in.AdminEmail, "admin-email", "", "the admin who signs in to the dashboard")
	flags.StringVar(&in.Currency, "currency", "USD", "ISO 4217 currency of invoices and rewards")
	flags.StringVar(&in.TimeZone, "time-zone", "America/New_York", "IANA time zone of the practice")
	if err := flags.Parse(args); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	p, secrets, err := a.Service.CreatePractice(ctx, in)
	if err != nil {
		return err
	}
	out := json.NewEncoder(stdout)
	out.SetIndent("", "  ")
	return out.Encode(map[string]string{
		"practice_id":     p.ID,
		"name":            p.Name,
		"slug":            p.Slug,
		"api_key":         secrets.APIKey,
		"webhook_secret":  secrets.WebhookSecret,
		"admin_setup_url": cfg.PublicURL + "/setup/" + secrets.SetupToken,
	})
}

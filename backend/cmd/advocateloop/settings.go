package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"strings"

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// changeSettings changes the settings named by flags and keeps the others, the same settings
// the dashboard's Settings page changes, for scripts and for an operator with a shell.
func changeSettings(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("practice settings", flag.ContinueOnError)
	slug := flags.String("slug", "", "the practice, by the slug `practice create` printed")
	brandColor := flags.String("brand-color", "", "the pages' colour, such as #6b4eff (empty: the default)")
	logoURL := flags.String("logo-url", "", "an https:// address of the practice's logo (empty: none)")
	bookingURL := flags.String("booking-url", "", "where a friend books a visit (empty: none)")
	origins := flags.String("allowed-origins", "", "comma-separated sites that may embed the widget, such as https://glowaesthetics.com")
	offer := flags.String("offer", "", "the friend offer, such as \"$25 off your first visit\" (empty: none)")
	welcomeCode := flags.String("welcome-code", "", "a code friends get when they claim (empty: none)")
	contact := flags.String("contact-email", "", "where replies to the practice's emails to patients go (empty: none)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.Service.PracticeBySlug(ctx, *slug)
	if err != nil {
		return err
	}
	in := referral.PracticeSettings{BrandColor: p.BrandColor, LogoURL: p.LogoURL, BookingURL: p.BookingURL,
		AllowedOrigins: p.AllowedOrigins, FriendOffer: p.Offer, ContactEmail: p.ContactEmail}
	flags.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "brand-color":
			in.BrandColor = *brandColor
		case "logo-url":
			in.LogoURL = *logoURL
		case "booking-url":
			in.BookingURL = *bookingURL
		case "allowed-origins":
			in.AllowedOrigins = strings.Split(*origins, ",")
		case "offer":
			in.FriendOffer.Description = *offer
		case "welcome-code":
			in.FriendOffer.WelcomeCode = *welcomeCode
		case "contact-email":
			in.ContactEmail = *contact
		}
	})
	if p, err = a.Service.UpdateSettings(ctx, p, in); err != nil {
		return err
	}
	out := json.NewEncoder(stdout)
	out.SetIndent("", "  ")
	return out.Encode(map[string]any{
		"slug": p.Slug, "brand_color": p.BrandColor, "logo_url": p.LogoURL, "booking_url": p.BookingURL,
		"allowed_origins": p.AllowedOrigins, "friend_offer": p.Offer, "contact_email": p.ContactEmail,
	})
}

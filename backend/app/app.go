// Package app wires AdvocateLoop together: configuration, storage, the referral rules and the
// HTTP server. The command line and the end-to-end tests both start the server through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/advocateloop/advocateloop"
	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/dashboard"
	"github.com/advocateloop/advocateloop/backend/delivery"
	"github.com/advocateloop/advocateloop/backend/docs"
	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
	"github.com/advocateloop/advocateloop/backend/web"
)

// App is an open database and the referral program running on it.
type App struct {
	Config  config.Config
	DB      *storage.DB
	Service *referral.Service
	// Mail hands email to the configured SMTP server, or keeps it in the dashboard's mailbox:
	// Mail.Delivering() says which.
	Mail *mail.Sender
}

// Open connects to the configured database and brings its schema up to date.
func Open(ctx context.Context, cfg config.Config) (*App, error) {
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.IdempotencyLease > 0 {
		db.SetIdempotencyLease(cfg.IdempotencyLease)
	}
	svc := &referral.Service{Store: db, PublicURL: cfg.PublicURL,
		CheckHookTarget: delivery.TargetCheck(cfg.AllowPrivateHooks), KeepMail: !sender.Delivering()}
	return &App{Config: cfg, DB: db, Service: svc, Mail: sender}, nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Handler is the whole HTTP surface.
func (a *App) Handler() (http.Handler, error) {
	reference, err := docs.Handler(advocateloop.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("app: unable to build the API reference: %w", err)
	}
	return Router(Routes{
		PublicURL:      a.Config.PublicURL,
		RequestTimeout: a.Config.RequestTimeout,
		Share:          a.DB.Connections() * 3 / 4,
		Ready:          func(ctx context.Context) error { return a.DB.Ready(ctx, a.Service.Now()) },
		API: &api.Deps{Service: a.Service, Idempotency: idempotency{a.DB}, RateLimit: a.Config.RateLimit,
			FailedKeyLimit: a.Config.FailedKeyLimit, TrustedProxies: a.Config.TrustedProxies},
		Web: web.Handler(web.Deps{Service: a.Service, RateLimit: a.Config.PublicRateLimit,
			TrustedProxies: a.Config.TrustedProxies}),
		Dashboard: dashboard.Handler(dashboard.Deps{Service: a.Service,
			TrustedProxies: a.Config.TrustedProxies, MailDelivered: a.Mail.Delivering()}),
		Docs: reference,
	}), nil
}

// Serve listens on the configured address until ctx ends, then shuts down gracefully, letting
// requests in flight finish. listening, when set, is told the bound address (useful with :0).
func (a *App) Serve(ctx context.Context, listening func(addr string)) error {
	handler, err := a.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("app: unable to listen on %s: %w", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler: handler,
		// No ReadTimeout: it would also cut a request whose database is slow (net/http cancels
		// the request's context when it passes). Bodies get their own deadline as they are read.
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	slog.Info("listening", "addr", ln.Addr().String(), "public_url", a.Config.PublicURL, "postgres", a.DB.Postgres())
	if listening != nil {
		listening(ln.Addr().String())
	}
	go a.purge(ctx)
	interval := a.Config.DeliveryInterval
	if interval <= 0 {
		interval = time.Second
	}
	deliveries := delivery.New(a.DB, interval, a.Config.AllowPrivateHooks)
	deliveries.Now = a.Service.Now // the one clock: events are due at the time it wrote them
	go deliveries.Run(ctx)
	go a.releaseHeldRewards(ctx, interval)
	// Only this worker talks to the mail server, so a slow one never slows a request.
	mailed := make(chan struct{})
	go func() {
		defer close(mailed)
		w := mail.NewWorker(a.DB, a.Service, a.Mail, interval)
		w.Now = a.Service.Now
		w.Run(ctx)
	}()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("app: graceful shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Let messages on their way finish rather than leave them unconfirmed.
	select {
	case <-mailed:
	case <-shutdownCtx.Done():
	}
	return nil
}

// purge deletes, hourly, what is kept only for a while: near-misses and the text of sent email
// after 30 days, expired sign-in links and advocate sessions. Every server may run it: the
// deletes are idempotent, so several servers on one database need no coordination.
func (a *App) purge(ctx context.Context) {
	jobs := []struct {
		what string
		run  func(context.Context) (int64, error)
	}{
		{"near-misses", a.Service.PurgeNearMisses},
		{"message bodies", a.Service.PurgeMessageBodies},
		{"sign-in links and sessions", a.Service.PurgeSignIns},
	}
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		for _, job := range jobs {
			if n, err := job.run(ctx); err != nil && ctx.Err() == nil {
				slog.Error("purge failed", "what", job.what, "error", err.Error())
			} else if n > 0 {
				slog.Info("purged", "what", job.what, "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

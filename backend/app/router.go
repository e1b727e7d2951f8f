package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/dashboard"
	"github.com/advocateloop/advocateloop/backend/docs"
	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/web"
)

// Routes are what the router mounts. A nil surface is left out, so a test of one surface can
// serve it behind the same edge without the others.
type Routes struct {
	PublicURL string // https adds Strict-Transport-Security to every answer
	// RequestTimeout is every request's deadline; zero means config.DefaultRequestTimeout.
	RequestTimeout time.Duration
	// Share is how many requests of one surface (the API, the pages) may be at the database at
	// once, so one surface cannot take every connection; zero means no limit.
	Share int
	// Ready says whether the database answers and takes a write, for /readyz.
	Ready func(ctx context.Context) error

	API       *api.Deps
	Web       http.Handler // the patient pages: web.Handler
	Dashboard http.Handler // the staff dashboard: dashboard.Handler
	Docs      http.Handler // the API reference: docs.Handler
}

// Router is the one HTTP handler: every answer passes the edge (security headers, a request id
// and a log line, panic recovery, a deadline, the body read first, compression), then the
// surface whose paths it names.
func Router(rt Routes) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(edge.SecureHeaders(rt.PublicURL)) // first, so every answer carries the baseline
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	if rt.RequestTimeout <= 0 {
		rt.RequestTimeout = config.DefaultRequestTimeout
	}
	r.Use(edge.LogRequests, edge.RecoverPanics, edge.Deadline(rt.RequestTimeout), edge.ReadBodyFirst)
	r.NoRoute(func(c *gin.Context) {
		if rt.Web != nil && (c.Request.URL.Path == "/p" || c.Request.URL.Path == "/r") {
			gin.WrapH(rt.Web)(c) // a patient's truncated link gets the friendly 404 page
			return
		}
		edge.Refuse(c, referral.ENotFound, "There is nothing at this address.")
	})
	r.NoMethod(func(c *gin.Context) {
		edge.Refuse(c, edge.EMethodNotAllowed, c.Request.Method+" is not supported here; see /docs for what is.")
	})

	r.GET("/healthz", func(c *gin.Context) { edge.WriteJSON(c.Writer, http.StatusOK, map[string]string{"status": "ok"}) })
	if rt.Ready != nil {
		r.GET("/readyz", func(c *gin.Context) { ready(c, rt.Ready) })
	}
	// Every method goes to a surface's own handler, which answers the ones it lacks itself.
	pages := edge.Share(rt.Share) // the patient pages and the dashboard share one allowance
	mount(r, rt.Docs, docs.Paths, nil)
	mount(r, rt.Web, web.Paths, pages)
	mount(r, rt.Dashboard, dashboard.Paths, pages)
	if rt.API != nil {
		d := *rt.API
		d.Share = edge.Share(rt.Share)
		api.Mount(r, d)
	}
	return edge.Compress(r)
}

// mount sends every method on paths to h, after share when there is one.
func mount(r gin.IRouter, h http.Handler, paths []string, share gin.HandlerFunc) {
	if h == nil {
		return
	}
	chain := []gin.HandlerFunc{gin.WrapH(h)}
	if share != nil {
		chain = append([]gin.HandlerFunc{share}, chain...)
	}
	for _, path := range paths {
		r.Any(path, chain...)
	}
}

// ready answers /readyz: 200 when the database answers and takes a write, else 503.
func ready(c *gin.Context, check func(context.Context) error) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := check(ctx); err != nil {
		slog.WarnContext(ctx, "not ready", "error", err.Error())
		edge.Refuse(c, edge.ENotReady, "The database is not reachable or takes no writes (read-only, or its disk is full).")
		return
	}
	edge.WriteJSON(c.Writer, http.StatusOK, map[string]string{"status": "ready"})
}

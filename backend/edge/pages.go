package edge

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
)

// stylesheet is what every server-rendered page starts from: the patient pages use it as it
// is, and the dashboard adds its own rules after it.
//
//go:embed page.css
var stylesheet string

// Layout is what a surface's pages are made from: a layout template (with its parts) defining
// "layout", which calls "content", and one template per page defining "content".
type Layout struct {
	Files  fs.FS
	Layout []string // the layout and its parts, as patterns in Files
	Pages  []string // page names: templates/NAME.html in Files
	CSS    string   // rules added after the shared stylesheet
	Script string   // the one inline script of every page
	Funcs  template.FuncMap
	// Policy is added to the content policy, such as "; frame-src 'self'".
	Policy string
	// Referrer is the pages' Referrer-Policy; a page whose own address holds a token gets
	// no-referrer whatever this says (see Secret).
	Referrer string
}

// Pages renders a surface's pages: each a copy of the layout with its own "content", the CSS
// and the one script inline, so a page is one request, and the script allowed by its hash, so
// no other script can run on a page whatever a name on it holds. Layouts may call css, script
// and brand.
type Pages struct {
	pages    map[string]*template.Template
	policy   string
	referrer string
}

// Secret is a page whose own address holds a token: no Referer may carry it on, not even to
// the practice's logo.
type Secret interface{ AddressIsSecret() bool }

// NewPages parses every page of l; a template that does not parse is a bug, and panics.
func NewPages(l Layout) *Pages {
	css, script := template.CSS(stylesheet+l.CSS), template.JS(l.Script)
	funcs := template.FuncMap{
		"css":    func() template.CSS { return css },
		"script": func() template.JS { return script },
		"brand":  BrandStyle,
	}
	for name, f := range l.Funcs {
		funcs[name] = f
	}
	layout := template.Must(template.New("pages").Funcs(funcs).ParseFS(l.Files, l.Layout...))
	p := &Pages{pages: map[string]*template.Template{}, policy: contentPolicy(script) + l.Policy, referrer: l.Referrer}
	for _, name := range l.Pages {
		p.pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(l.Files, "templates/"+name+".html"))
	}
	return p
}

// contentPolicy is the Content-Security-Policy of a server-rendered page whose one inline
// script is script: nothing else may run, load or be framed, whatever a name on the page holds.
func contentPolicy(script template.JS) string {
	hash := sha256.Sum256([]byte(script))
	return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; " +
		"script-src 'sha256-" + base64.StdEncoding.EncodeToString(hash[:]) + "'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}

// Render writes the page name with data; a page is small, so it is rendered whole before the
// status goes out.
func (p *Pages) Render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.Error("page not rendered", "page", name, "error", err.Error())
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", p.policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", p.referrer)
	if s, ok := data.(Secret); ok && s.AddressIsSecret() {
		h.Set("Referrer-Policy", "no-referrer")
	}
	h.Set("Cache-Control", "no-store") // pages hold personal links and CSRF tokens, and answer forms
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// widgetJS is the script practices embed. It is served as written, or gzipped once at start.
//
//go:embed static/widget.js
var widgetJS []byte

var (
	widgetGzip = gzipped(widgetJS)
	widgetSum  = sha256.Sum256(widgetJS)
	// Weak: the plain and gzipped bytes share it, and both mean the same script.
	widgetETag = `W/"` + hex.EncodeToString(widgetSum[:8]) + `"`
)

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// serveWidget answers GET /widget.js. Host pages load it on every visit, so browsers keep it
// an hour and then revalidate by ETag; a new version reaches every site within the hour.
func serveWidget(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", widgetETag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin") // host pages may isolate themselves
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("If-None-Match"), widgetETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := widgetJS
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = widgetGzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// acceptsGzip reads Accept-Encoding closely enough for a static file: gzip listed, not q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

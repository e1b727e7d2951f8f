package edge

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// compressed types are the text answers: pages, their CSS and scripts, JSON and problems, the
// contract. Images, CSV downloads and the already gzipped widget go as they are.
var compressed = []string{
	"text/html", "text/css", "text/javascript", "application/javascript",
	"application/json", "application/problem+json", "application/yaml", "image/svg+xml", "text/plain",
}

// Compress gzips text answers of 1 KiB or more for clients that accept it, and says
// Vary: Accept-Encoding on every answer so caches keep both forms apart. Pages carry secrets
// (CSRF tokens, a key shown once) next to text a visitor can put there (a search, a name), so
// each compressed answer gets a few random bytes, which stops BREACH from reading a secret off
// the compressed lengths.
func Compress(h http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressed), gzhttp.MinSize(gzhttp.DefaultMinSize),
		gzhttp.EnableZstd(false), gzhttp.RandomJitter(32, 0, false))
	if err != nil {
		panic(err) // the options above are fixed: an error is a programming mistake
	}
	return wrap(h)
}

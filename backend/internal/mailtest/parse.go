package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
)

// Parsed is a received message as a mail client shows it.
type Parsed struct {
	Header  mail.Header
	From    *mail.Address
	To      []*mail.Address
	ReplyTo []*mail.Address
	Subject string // decoded
	Text    string // the text/plain part, decoded
	HTML    string // the text/html part, decoded
	Links   []string
}

// MustParse parses raw or fails tb.
func MustParse(tb testing.TB, raw []byte) *Parsed {
	tb.Helper()
	p, err := Parse(raw)
	if err != nil {
		tb.Fatalf("mailtest: %v\n%s", err, raw)
	}
	return p
}

// Parse reads a message with the standard library: its headers, its text and HTML parts
// (from a multipart/alternative body or a single part), and every link in either part.
func Parse(raw []byte) (*Parsed, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: m.Header}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if p.From, err = mail.ParseAddress(m.Header.Get("From")); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if p.To, err = m.Header.AddressList("To"); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	if m.Header.Get("Reply-To") != "" {
		if p.ReplyTo, err = m.Header.AddressList("Reply-To"); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	if err := p.readBody(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body); err != nil {
		return nil, err
	}
	p.Links = links(p.HTML, p.Text)
	return p, nil
}

func (p *Parsed) readBody(contentType, encoding string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := p.readBody(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part); err != nil {
				return err
			}
		}
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		return fmt.Errorf("%s part in charset %q, want UTF-8", mediaType, cs)
	}
	text, err := decode(encoding, body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	switch mediaType {
	case "text/plain":
		p.Text = text
	case "text/html":
		p.HTML = text
	}
	return nil
}

// decode undoes a Content-Transfer-Encoding.
func decode(encoding string, body io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// newlineStripper drops the line breaks base64 bodies are wrapped with.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	out := p[:0]
	for _, b := range p[:k] {
		if b != '\r' && b != '\n' {
			out = append(out, b)
		}
	}
	return len(out), err
}

var (
	href    = regexp.MustCompile(`(?i)href\s*=\s*"([^"]*)"`)
	textURL = regexp.MustCompile(`https?://[^\s<>"]+`)
)

// links lists the href targets of htmlPart and the URLs written out in either part, once each.
func links(htmlPart, textPart string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, m := range href.FindAllStringSubmatch(htmlPart, -1) {
		add(html.UnescapeString(m[1]))
	}
	for _, m := range textURL.FindAllString(html.UnescapeString(htmlPart)+"\n"+textPart, -1) {
		add(strings.TrimRight(m, ".,;:)"))
	}
	return out
}

package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/boombuler/barcode/qr"

	"github.com/advocateloop/advocateloop/backend/edge"
)

// quietZone is the blank border, in modules, that scanners need around a QR code.
const quietZone = 4

// qrSVG draws content as a QR code: one path of dark modules, each row's runs joined, so a
// link's code is a couple of kilobytes and crisp at any print size.
func qrSVG(content string) ([]byte, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto) // M survives a scuffed or creased poster
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	dark := func(x, y int) bool {
		r, _, _, _ := code.At(x, y).RGBA()
		return r < 0x8000
	}
	var b bytes.Buffer
	size := n + 2*quietZone
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, size, size)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := range n {
		for x := 0; x < n; {
			if !dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && dark(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quietZone, y+quietZone, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// joinPageQR is the hosted join page's QR code, for a poster at the front desk.
func (s *site) joinPageQR(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	s.serveQR(w, r, s.svc.PublicURL+"/p/"+p.Slug)
}

// invitationQR is an advocate's own link as a QR code, for a friend to scan off their phone.
func (s *site) invitationQR(w http.ResponseWriter, r *http.Request) {
	_, a, err := s.invitation(r)
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	s.serveQR(w, r, a.URL)
}

func (s *site) serveQR(w http.ResponseWriter, r *http.Request, link string) {
	svg, err := qrSVG(link)
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400") // a link's code never changes
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(svg)
}

package edge

import (
	"net/http"
	"net/netip"
	"strings"
)

// ClientKey names who a rate limit counts. It is the connection's address, unless that is a
// trusted proxy: then the nearest address in X-Forwarded-For that is not one. A client can
// write anything into that header, so only the entries our own proxies appended are believed.
func ClientKey(r *http.Request, proxies []netip.Prefix) string {
	trusted := func(ip netip.Addr) bool {
		for _, p := range proxies {
			if p.Contains(ip) {
				return true
			}
		}
		return false
	}
	addrPort, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	ip := addrPort.Addr().Unmap()
	if trusted(ip) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // garbled: nothing before it can be believed either
			}
			ip = hop.Unmap()
			if !trusted(ip) {
				break
			}
		}
	}
	if ip.Is6() {
		// One subscriber gets a whole /64 and can hop between its addresses at will.
		prefix, _ := ip.Prefix(64)
		return prefix.String()
	}
	return ip.String()
}

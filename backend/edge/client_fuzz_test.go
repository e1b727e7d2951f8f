package edge_test

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/edge"
)

// FuzzClientKey: the key a rate limit counts is always an IPv4 address or an IPv6 /64, taken
// from the connection or, behind our own proxies only, from X-Forwarded-For; and whatever a
// client writes into X-Forwarded-For before the entry our proxy appended never changes it, so
// no client can spread its requests over made-up addresses. `go test` replays the seeds in
// testdata/fuzz.
func FuzzClientKey(f *testing.F) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	f.Add("10.0.0.1:443", "198.51.100.7, 10.0.0.2", "203.0.113.9")
	f.Add("[fd00::1]:443", "2001:db8::1", "2001:db8::2")
	f.Add("203.0.113.9:1234", "1.1.1.1", "::ffff:198.51.100.7")
	f.Fuzz(func(t *testing.T, remote, forwarded, client string) {
		key := clientKey(remote, proxies, forwarded)
		addrPort, err := netip.ParseAddrPort(remote)
		if err != nil {
			return // a server's connections always have an address and port
		}
		if !isKey(key) {
			t.Fatalf("key %q for %s behind %q is not an address or a /64", key, remote, forwarded)
		}
		proxied := trusted(proxies, addrPort.Addr().Unmap())
		if !proxied && key != keyOf(addrPort.Addr()) {
			t.Fatalf("key %q for %s, not from a proxy: X-Forwarded-For %q was believed", key, remote, forwarded)
		}
		if proxied && key != keyOf(addrPort.Addr()) && !anyHop(forwarded, func(hop netip.Addr) bool { return keyOf(hop) == key }) {
			t.Fatalf("key %q for %s behind %q comes from neither", key, remote, forwarded)
		}
		// What our proxy appended decides, whatever the client wrote before it. A proxy writes
		// the address it saw as netip would, never with a zone ("::% " is not one it writes).
		ip, err := netip.ParseAddr(client)
		if err != nil || ip.String() != client || ip.Zone() != "" || !proxied || trusted(proxies, ip.Unmap()) {
			return
		}
		want := keyOf(ip)
		for _, written := range [][]string{{client}, {forwarded, client}, {forwarded + "," + client}} {
			if got := clientKey(remote, proxies, written...); got != want {
				t.Fatalf("behind %s, X-Forwarded-For %q gives %q, want %q", remote, written, got, want)
			}
		}
	})
}

// clientKey is ClientKey for a request from remote carrying these X-Forwarded-For lines.
func clientKey(remote string, proxies []netip.Prefix, forwarded ...string) string {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = remote
	for _, line := range forwarded {
		r.Header.Add("X-Forwarded-For", line)
	}
	return edge.ClientKey(r, proxies)
}

// keyOf is how one subscriber is named: an IPv4 address, or the /64 of an IPv6 one.
func keyOf(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	prefix, _ := ip.Prefix(64)
	return prefix.String()
}

func isKey(key string) bool {
	if ip, err := netip.ParseAddr(key); err == nil {
		return ip.Is4() && ip.String() == key
	}
	prefix, err := netip.ParsePrefix(key)
	return err == nil && prefix.Addr().Is6() && prefix.Bits() == 64 && prefix.Masked() == prefix && prefix.String() == key
}

func trusted(proxies []netip.Prefix, ip netip.Addr) bool {
	for _, p := range proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// anyHop reports whether any entry of an X-Forwarded-For value that is an address satisfies ok.
func anyHop(forwarded string, ok func(netip.Addr) bool) bool {
	for _, hop := range strings.Split(forwarded, ",") {
		if ip, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && ok(ip) {
			return true
		}
	}
	return false
}

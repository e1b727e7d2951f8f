package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// errPrivate is why a hook may not point inside a network: the server would become a way to
// reach machines the practice's own firewall protects.
var errPrivate = errors.New("must not point at a private, loopback or link-local address")

// private reports addresses a hook must not reach unless development allows it.
func private(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(ip) // carrier-grade NAT
}

// TargetCheck refuses hook URLs whose host is, or resolves to, a private address. It runs when
// a hook is subscribed, for a clear 422; the dialer checks again at every delivery, because a
// name can resolve elsewhere later.
func TargetCheck(allowPrivate bool) func(u *url.URL) error {
	return func(u *url.URL) error {
		if allowPrivate {
			return nil
		}
		host := u.Hostname()
		if ip, err := netip.ParseAddr(host); err == nil {
			if private(ip) {
				return errPrivate
			}
			return nil
		}
		if host == "localhost" {
			return errPrivate
		}
		addrs, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", host)
		if err != nil {
			return fmt.Errorf("has a host that does not resolve (%s)", host)
		}
		for _, a := range addrs {
			if private(a) {
				return errPrivate
			}
		}
		return nil
	}
}

// dialControl refuses connections to private addresses at the moment of connecting.
func dialControl(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || private(ap.Addr()) {
			return errPrivate
		}
		return nil
	}
}

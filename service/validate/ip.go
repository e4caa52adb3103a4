package validate

import "net/netip"

// IP checks a single IPv4 or IPv6 address in its textual form. Zones (fe80::1%eth0) and
// IPv4-mapped IPv6 addresses (::ffff:192.0.2.1) are refused: a filing records the plain address.
// It checks syntax only; whether the address belongs to this provider is the caller's question.
func IP(s string) error {
	_, err := parseIP(s)
	return err
}

// IPRange checks an inclusive range of addresses as a filing records it: both ends valid per IP,
// of the same family, and start not after end. A single address is the range s–s.
func IPRange(start, end string) error {
	a, err := parseIP(start)
	if err != nil {
		return err
	}
	b, err := parseIP(end)
	if err != nil {
		return err
	}
	if a.Is4() != b.Is4() {
		return invalid("ip range mixes ipv4 and ipv6")
	}
	if a.Compare(b) > 0 {
		return invalid("ip range start is after its end")
	}
	return nil
}

// parseIP parses s under the rules of IP.
func parseIP(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, invalid("ip address is malformed")
	}
	if a.Zone() != "" {
		return netip.Addr{}, invalid("ip address must not carry a zone")
	}
	if a.Is4In6() {
		return netip.Addr{}, invalid("ip address is ipv4-mapped ipv6: use the ipv4 form")
	}
	return a, nil
}

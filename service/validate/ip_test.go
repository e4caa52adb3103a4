package validate_test

import (
	"net/netip"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestIP(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"ipv4", "203.0.113.10", ""},
		{"ipv6", "2001:db8::1", ""},
		{"ipv6 upper case", "2001:DB8::1", ""},
		{"zone", "fe80::1%eth0", "zone"},
		{"ipv4-mapped", "::ffff:192.0.2.1", "ipv4-mapped"},
		{"leading zero", "203.0.113.010", "malformed"},
		{"cidr", "203.0.113.0/24", "malformed"},
		{"out of range", "256.1.1.1", "malformed"},
		{"host name", "example.com", "malformed"},
		{"spaces", " 203.0.113.10", "malformed"},
		{"empty", "", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.IP(tt.in), tt.wantErr)
		})
	}
}

func TestIPRange(t *testing.T) {
	tests := []struct {
		name, start, end, wantErr string
	}{
		{"single ipv4", "203.0.113.10", "203.0.113.10", ""},
		{"ipv4 range", "203.0.113.10", "203.0.113.20", ""},
		{"ipv6 range", "2001:db8::1", "2001:db8::ff", ""},
		{"reversed", "203.0.113.20", "203.0.113.10", "start is after its end"},
		{"mixed families", "203.0.113.10", "2001:db8::1", "mixes ipv4 and ipv6"},
		{"bad start", "203.0.113", "203.0.113.10", "malformed"},
		{"bad end", "203.0.113.10", "", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.IPRange(tt.start, tt.end), tt.wantErr)
		})
	}
}

func FuzzIP(f *testing.F) {
	for _, s := range []string{"203.0.113.10", "2001:db8::1", "fe80::1%eth0", "::ffff:1.2.3.4", "1.2.3"} {
		f.Add(s, "203.0.113.10")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		err := validate.IP(a)
		checkFuzzResult(t, err)
		rangeErr := validate.IPRange(a, b)
		checkFuzzResult(t, rangeErr)
		if err != nil {
			if rangeErr == nil {
				t.Fatalf("range %q-%q accepted with an invalid start", a, b)
			}
			return
		}
		if validate.IPRange(a, a) != nil {
			t.Fatalf("accepted %q but not the range %q-%q", a, a, a)
		}
		canonical := netip.MustParseAddr(a).String()
		if validate.IP(canonical) != nil || validate.IPRange(a, canonical) != nil {
			t.Fatalf("accepted %q but not its canonical form %q", a, canonical)
		}
		if rangeErr == nil && validate.IP(b) != nil {
			t.Fatalf("range %q-%q accepted with an invalid end", a, b)
		}
	})
}

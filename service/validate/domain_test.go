package validate_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestDomain(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"com", "example.com", "example.com", ""},
		{"com.cn", "example.com.cn", "example.com.cn", ""},
		{"upper case", "Example.COM", "example.com", ""},
		{"gov.cn", "beijing.gov.cn", "beijing.gov.cn", ""},
		{"chinese idn", "中文.中国", "xn--fiq228c.xn--fiqs8s", ""},
		{"ideographic full stop", "中文。中国", "xn--fiq228c.xn--fiqs8s", ""},
		{"punycode input", "xn--fiq228c.xn--fiqs8s", "xn--fiq228c.xn--fiqs8s", ""},
		{"idn under cn", "例子.cn", "xn--fsqu00a.cn", ""},
		{"63-char label", long63 + ".com", long63 + ".com", ""},
		{"hyphen inside", "my-site.cn", "my-site.cn", ""},
		{"private suffix ignored", "github.io", "github.io", ""},
		{"www", "www.example.com", "", `file "example.com" instead`},
		{"deep sub-domain", "a.b.example.com.cn", "", `file "example.com.cn" instead`},
		{"sub-domain of private suffix", "user.github.io", "", `file "github.io" instead`},
		{"bare suffix", "com.cn", "", "is a public suffix"},
		{"bare tld", "com", "", "is a public suffix"},
		{"idn tld", "中国", "", "is a public suffix"},
		{"unknown tld", "example.invalidtld", "", "unknown top-level domain"},
		{"single label", "localhost", "", "unknown top-level domain"},
		{"ipv4", "192.0.2.1", "", "ip address"},
		{"ipv6", "2001:db8::1", "", "ip address"},
		{"bracketed ipv6", "[2001:db8::1]", "", "ip address"},
		{"numeric tld", "example.123", "", "ip address"},
		{"port", "example.com:8080", "", "port"},
		{"scheme", "https://example.com", "", "scheme"},
		{"path", "example.com/index.html", "", "path"},
		{"user info", "user@example.com", "", "user information"},
		{"trailing dot", "example.com.", "", "end with a dot"},
		{"ideographic trailing dot", "example.com。", "", "end with a dot"},
		{"leading dot", ".example.com", "", "empty label"},
		{"double dot", "example..com", "", "empty label"},
		{"space", "exa mple.com", "", "spaces"},
		{"underscore", "my_site.com", "", "not a valid domain name"},
		{"leading hyphen", "-site.com", "", "not a valid domain name"},
		{"64-char label", long63 + "a.com", "", "longer than 63"},
		{"over 253", strings.Repeat(long63+".", 4) + "com", "", "longer than 253"},
		{"empty", "", "", "empty"},
		{"invalid utf-8", "\x87.中国", "", "not valid utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.Domain(tt.in)
			checkResult(t, err, tt.wantErr)
			if got != tt.want {
				t.Fatalf("Domain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDomain(f *testing.F) {
	for _, s := range []string{
		"example.com", "www.example.com", "中文.中国", "xn--fiq228c.xn--fiqs8s", "com.cn",
		"example.com:80", "Ｅｘａｍｐｌｅ.ｃｏｍ", "xn--.com", "a.b.c.d.e", "\u200d.cn",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := validate.Domain(s)
		checkFuzzResult(t, err)
		if err != nil {
			if got != "" {
				t.Fatalf("Domain(%q) returned %q with an error", s, got)
			}
			return
		}
		again, err := validate.Domain(got)
		if err != nil || again != got {
			t.Fatalf("Domain(%q) = %q, which re-validates to %q, %v", s, got, again, err)
		}
		if strings.ToLower(got) != got || len(got) > 253 {
			t.Fatalf("Domain(%q) = %q is not lower-case ascii within 253", s, got)
		}
	})
}

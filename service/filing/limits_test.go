package filing

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/service/kernel"
)

func TestTextProblem(t *testing.T) {
	tests := []struct {
		name, s, want string
	}{
		{"plain Chinese", "广州市天河区示例路1号", ""},
		{"at the limit", strings.Repeat("字", MaxTextRunes), ""},
		{"over the limit", strings.Repeat("字", MaxTextRunes+1), CodeTooLong},
		{"invalid UTF-8", "示例\xff", CodeBadText},
		{"replacement character left by a JSON decoder", "示例\uFFFD", CodeBadText},
		{"NUL", "a\x00b", CodeBadText},
		{"newline", "a\nb", CodeBadText},
		{"DEL", "a\x7fb", CodeBadText},
		{"C1 control", "a\u0085b", CodeBadText},
		{"right-to-left override", "abc\u202Egnp.exe", CodeBadText},
		{"first strong isolate", "a\u2068b", CodeBadText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TextProblem(tt.s, MaxTextRunes); got != tt.want {
				t.Errorf("TextProblem(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

// bigProposal is a proposal with n services of d domains and d IPs each.
func bigProposal(n, d int) Proposal {
	p := Proposal{Subject: enterprise("44")}
	for i := range n {
		s := website(int64(i+1), "example.cn", p.Subject.Principal)
		s.Domains, s.IPs = nil, nil
		for j := range d {
			s.Domains = append(s.Domains, fmt.Sprintf("d%d-%d.cn", i, j))
			s.IPs = append(s.IPs, fmt.Sprintf("203.0.113.%d", j))
		}
		p.Services = append(p.Services, s)
	}
	return p
}

func TestCheckLimits(t *testing.T) {
	pem := "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"
	tests := []struct {
		name string
		edit func(p *Proposal)
		want kernel.FieldErrors
	}{
		{"within every limit", func(*Proposal) {}, nil},
		{"too many services", func(p *Proposal) { *p = bigProposal(MaxServicesPerOrder+1, 1) },
			kernel.FieldErrors{"services": CodeTooManyList}},
		{"too many domains", func(p *Proposal) { *p = bigProposal(1, MaxDomainsPerWebsite+1) },
			kernel.FieldErrors{"services.0.domains": CodeTooManyList}},
		{"too many IPs", func(p *Proposal) { p.Services[0].IPs = make([]string, MaxIPsPerService+1) },
			kernel.FieldErrors{"services.0.ips": CodeTooManyList}},
		{"too many platforms", func(p *Proposal) { p.Services[0].Platforms = make([]AppPlatform, MaxPlatformsPerApp+1) },
			kernel.FieldErrors{"services.0.platforms": CodeTooManyList}},
		{"control character in a principal's name", func(p *Proposal) { p.Subject.Principal.Name = "张\t三" },
			kernel.FieldErrors{"subject.principal.name": CodeBadText}},
		{"invalid UTF-8 in a domain", func(p *Proposal) { p.Services[1].Domains = []string{"ok.cn", "bad\xc3.cn"} },
			kernel.FieldErrors{"services.1.domains.1": CodeBadText}},
		{"long address", func(p *Proposal) { p.Subject.CertAddress = strings.Repeat("路", MaxTextRunes+1) },
			kernel.FieldErrors{"subject.cert_address": CodeTooLong}},
		{"a PEM key keeps its line breaks", func(p *Proposal) {
			p.Services[0].Platforms = []AppPlatform{{Platform: "android", PublicKey: pem}}
		}, nil},
		{"a key with a NUL", func(p *Proposal) {
			p.Services[0].Platforms = []AppPlatform{{Platform: "android", PublicKey: "MII\x00"}}
		}, kernel.FieldErrors{"services.0.platforms.0.public_key": CodeBadText}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bigProposal(2, 1)
			tt.edit(&p)
			err := CheckLimits(p)
			fe, _ := err.(kernel.FieldErrors)
			if len(fe) != len(tt.want) {
				t.Fatalf("CheckLimits = %v, want %v", err, tt.want)
			}
			for k, v := range tt.want {
				if fe[k] != v {
					t.Errorf("%s = %q, want %q (all: %v)", k, fe[k], v, fe)
				}
			}
		})
	}
}

// FuzzTextProblem: whatever the input, an accepted text is valid UTF-8 without replacement or
// control characters and within the limit, and a refused one breaks one of those.
func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"", "示例", "a\x00", "\xff", "\uFFFD", "\u202E", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bad := !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
			return r == utf8.RuneError || unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
		})
		long := utf8.RuneCountInString(s) > MaxTextRunes
		switch got := TextProblem(s, MaxTextRunes); {
		case bad && got != CodeBadText:
			t.Fatalf("TextProblem(%q) = %q, want %s", s, got, CodeBadText)
		case !bad && long && got != CodeTooLong:
			t.Fatalf("TextProblem(%q) = %q, want %s", s, got, CodeTooLong)
		case !bad && !long && got != "":
			t.Fatalf("TextProblem(%q) = %q, want none", s, got)
		}
	})
}

// FuzzCheckLimits: a proposal built from fuzzed counts and text passes CheckLimits exactly when
// every list is within its limit and the text is clean, and a refusal names a field.
func FuzzCheckLimits(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), "示例网站")
	f.Add(uint8(11), uint8(1), uint8(1), "示例网站")
	f.Add(uint8(1), uint8(11), uint8(33), "a\x01")
	f.Fuzz(func(t *testing.T, services, domains, ips uint8, name string) {
		p := Proposal{Subject: enterprise("44")}
		for i := range int(services % 16) {
			s := ServiceInfo{ID: int64(i + 1), Name: name, Domains: make([]string, domains%16), IPs: make([]string, ips%40)}
			p.Services = append(p.Services, s)
		}
		ok := len(p.Services) <= MaxServicesPerOrder && TextProblem(name, MaxTextRunes) == ""
		for _, s := range p.Services {
			ok = ok && len(s.Domains) <= MaxDomainsPerWebsite && len(s.IPs) <= MaxIPsPerService
		}
		if len(p.Services) == 0 {
			ok = true
		}
		err := CheckLimits(p)
		if (err == nil) != ok {
			t.Fatalf("CheckLimits(%d services, %d domains, %d ips, %q) = %v, want ok=%v", len(p.Services), domains%16, ips%40, name, err, ok)
		}
		if fe, isFE := err.(kernel.FieldErrors); err != nil && (!isFE || len(fe) == 0) {
			t.Fatalf("refusal without a field: %v", err)
		}
	})
}

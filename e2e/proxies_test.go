package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestPerIPLimitsBehindProxies spends the per-IP scan budget (30 a minute) of one client and then asks
// as a second client, each named by X-Forwarded-For. The test server's peer is 127.0.0.1, the load
// balancer's place. When 127.0.0.1 is a trusted proxy each client has its own budget; when it is not,
// the header is ignored (anyone could forge it) and both share the balancer's one.
func TestPerIPLimitsBehindProxies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		env           []string
		secondLimited bool
	}{
		{name: "trusted hop", env: []string{"BEIAN_TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1"}, secondLimited: false},
		{name: "untrusted hop", env: nil, secondLimited: true},
		{name: "another proxy trusted", env: []string{"BEIAN_TRUSTED_PROXIES=10.0.0.0/8"}, secondLimited: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, tc.env...)
			scan := func(client string) int {
				req, err := http.NewRequest(http.MethodPost, e.client.Base()+"/api/v1/verification-scans",
					strings.NewReader(`{"token":"not-a-real-token"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", client)
				return e.client.Send(req).Status
			}
			// The bucket holds 30 and refills one scan every 2 s, so a slow machine may get a few more
			// through; what matters is that the first client is stopped and the second is not (or is).
			limited := 0
			for i := range 100 {
				if scan("203.0.113.7") == http.StatusTooManyRequests {
					limited = i + 1
					break
				}
			}
			switch {
			case limited == 0:
				t.Fatal("100 scans of the first client, none limited")
			case limited <= 30:
				t.Fatalf("the first client was limited at scan %d, before its budget of 30 ran out", limited)
			}
			got := scan("198.51.100.9")
			if limited := got == http.StatusTooManyRequests; limited != tc.secondLimited {
				t.Fatalf("first scan of a second client: %d (limited %v, want %v)", got, limited, tc.secondLimited)
			}
		})
	}
}

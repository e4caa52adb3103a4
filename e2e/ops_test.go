package e2e

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetricsShowQueueOutboxAndSends(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.login(t, "13800138020") // one SMS through the outbox and the worker
	res := e.client.Do(http.MethodGet, "/metrics", nil, "")
	body := string(res.Body)
	for _, want := range []string{"beian_outbox_lag_seconds 0", `beian_notifications_sent_total{channel="sms",provider="log",result="ok"} 1`,
		"beian_queue_tasks{", "beian_http_request_duration_seconds_bucket"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, path := range []string{"/healthz", "/readyz", "/openapi.json"} {
		if res := e.client.Do(http.MethodGet, path, nil, ""); res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", path, res.Status, res.Body)
		}
	}
}

package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// middlewareEngine is the router's middleware chain in front of a few test routes, logging to buf.
func middlewareEngine(t *testing.T, buf *bytes.Buffer) (*gin.Engine, *prometheus.HistogramVec) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	requests := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "test_request_duration_seconds"},
		[]string{"method", "route", "status"})
	r := gin.New()
	r.Use(withRequestID(), withLogging(slog.New(slog.NewJSONHandler(buf, nil)), requests), withRecovery())
	r.GET("/healthz", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", healthOK) })
	r.GET("/readyz", func(c *gin.Context) { c.Status(http.StatusServiceUnavailable) })
	r.GET("/things/:id", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.GET("/boom", func(*gin.Context) { panic("boom") })
	return r, requests
}

func serve(h http.Handler, path, requestID string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestRequestIDs(t *testing.T) {
	var buf bytes.Buffer
	h, _ := middlewareEngine(t, &buf)
	made := regexp.MustCompile(`^[0-9a-f]{24}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := serve(h, "/things/1", "").Header().Get("X-Request-Id")
		if !made.MatchString(id) || seen[id] {
			t.Fatalf("made request id %q: malformed or repeated", id)
		}
		seen[id] = true
	}
	tests := []struct{ sent, want string }{
		{"client-id-1", "client-id-1"},
		{"has space", ""},
		{strings.Repeat("x", 65), ""},
	}
	for _, tt := range tests {
		got := serve(h, "/things/1", tt.sent).Header().Get("X-Request-Id")
		if (tt.want != "" && got != tt.want) || (tt.want == "" && !made.MatchString(got)) {
			t.Errorf("sent %q: echoed %q", tt.sent, got)
		}
	}
}

func TestRequestLogAndMetrics(t *testing.T) {
	var buf bytes.Buffer
	h, requests := middlewareEngine(t, &buf)
	tests := []struct {
		path, route, status string
		logged              bool
	}{
		{"/healthz", "/healthz", "200", false}, // a successful probe is not logged
		{"/readyz", "/readyz", "503", true},    // a failing one is
		{"/things/7", "/things/:id", "200", true},
		{"/nowhere", "unmatched", "404", true},
		{"/boom", "/boom", "500", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			buf.Reset()
			before := len(gatherSeries(t, requests))
			id := serve(h, tt.path, "").Header().Get("X-Request-Id")
			logged := strings.Contains(buf.String(), `"msg":"request"`)
			if logged != tt.logged {
				t.Fatalf("logged %v, want %v: %s", logged, tt.logged, buf.String())
			}
			if logged && (!strings.Contains(buf.String(), `"request_id":"`+id+`"`) || !strings.Contains(buf.String(), `"route":"`+tt.route+`"`)) {
				t.Fatalf("log line lacks the request id %s or route %s: %s", id, tt.route, buf.String())
			}
			if got := histogramCount(t, requests, tt.route, tt.status); got != 1 {
				t.Fatalf("series %s %s observed %d times, want 1", tt.route, tt.status, got)
			}
			if after := len(gatherSeries(t, requests)); after != before+1 {
				t.Fatalf("series went from %d to %d, want one more", before, after)
			}
		})
	}
	for range 3 {
		serve(h, "/things/8", "")
	}
	if got := histogramCount(t, requests, "/things/:id", "200"); got != 4 {
		t.Fatalf("/things/:id observed %d times, want 4", got)
	}
}

// gatherSeries maps "route status" to the observation count of each series of vec.
func gatherSeries(t *testing.T, vec *prometheus.HistogramVec) map[string]uint64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(vec)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			out[labels["route"]+" "+labels["status"]] = m.GetHistogram().GetSampleCount()
		}
	}
	return out
}

// histogramCount is how many observations the series labelled route and status holds.
func histogramCount(t *testing.T, vec *prometheus.HistogramVec, route, status string) uint64 {
	t.Helper()
	return gatherSeries(t, vec)[route+" "+status]
}

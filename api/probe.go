package api

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// healthzFastPath answers GET /healthz in front of gin: orchestrators poll it every few seconds
// on every replica, and it needs none of gin's routing, context or middleware chain. It keeps what
// the chain gives the route: the X-Request-Id echoed (or made), the request observed in the
// duration histogram under route "/healthz", and, like every successful probe, no log line.
// Everything else goes to next.
type healthzFastPath struct {
	next     http.Handler
	ids      *requestIDs
	observed prometheus.Observer // the histogram's GET /healthz 200 series
}

func newHealthzFastPath(next http.Handler, requests *prometheus.HistogramVec) *healthzFastPath {
	return &healthzFastPath{next: next, ids: newRequestIDs(), observed: requests.WithLabelValues(http.MethodGet, "/healthz", "200")}
}

func (h *healthzFastPath) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/healthz" {
		h.next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if !saneRequestID(id) {
		id = h.ids.next()
	}
	header := w.Header()
	header["X-Request-Id"] = []string{id}
	header["Content-Type"] = []string{"application/json; charset=utf-8"}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(healthOK)
	h.observed.Observe(time.Since(start).Seconds())
}

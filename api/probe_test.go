package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestHealthzFastPath: GET /healthz answered in front of gin carries what the middleware chain
// gives it (the request id echoed or made, one observation in the /healthz series, no log line)
// and the route's constant body; other requests still go through gin.
func TestHealthzFastPath(t *testing.T) {
	var logs bytes.Buffer
	engine, requests := middlewareEngine(t, &logs)
	h := newHealthzFastPath(engine, requests)
	tests := []struct {
		name, method, path, requestID string
		wantStatus                    int
		wantBody                      string
		series                        string // histogram series that gets the observation
		echoed                        bool   // the sent request id comes back
	}{
		{"probe with an id", http.MethodGet, "/healthz", "probe-1", http.StatusOK, `{"status":"ok"}`, "/healthz 200", true},
		{"probe without an id", http.MethodGet, "/healthz", "", http.StatusOK, `{"status":"ok"}`, "/healthz 200", false},
		{"probe with a bad id", http.MethodGet, "/healthz", "has space", http.StatusOK, `{"status":"ok"}`, "/healthz 200", false},
		{"other route", http.MethodGet, "/things/7", "", http.StatusOK, "", "/things/:id 200", false},
		{"other method", http.MethodPost, "/healthz", "", http.StatusNotFound, "", "unmatched 404", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			before := gatherSeries(t, requests)[tt.series]
			req, _ := http.NewRequest(tt.method, tt.path, nil)
			if tt.requestID != "" {
				req.Header.Set("X-Request-Id", tt.requestID)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.wantStatus || (tt.wantBody != "" && w.Body.String() != tt.wantBody) {
				t.Fatalf("answered %d %q, want %d %q", w.Code, w.Body.String(), tt.wantStatus, tt.wantBody)
			}
			id := w.Result().Header.Get("X-Request-Id")
			if !saneRequestID(id) || (tt.echoed && id != tt.requestID) || (!tt.echoed && id == tt.requestID) {
				t.Fatalf("X-Request-Id %q for sent %q", id, tt.requestID)
			}
			if got := gatherSeries(t, requests)[tt.series]; got != before+1 {
				t.Fatalf("series %s observed %d more times, want 1", tt.series, got-before)
			}
			if tt.path == "/healthz" && tt.wantStatus == http.StatusOK {
				if ct := w.Result().Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
					t.Fatalf("Content-Type %q", ct)
				}
				if logs.Len() != 0 {
					t.Fatalf("a successful probe was logged: %s", logs.String())
				}
			}
		})
	}
}

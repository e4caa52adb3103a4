package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/beian/beian/api/apitest"
)

// postWithKey sends a JSON POST carrying an Idempotency-Key.
func postWithKey(t *testing.T, c *apitest.Client, path, key, token string, body any) apitest.Response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.Base()+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.Send(req)
}

// TestIdempotencyKeyReplaysTheFirstAnswer: a retried create returns the first answer byte for
// byte and marks it replayed; the same key with another body is refused; keys belong to one
// account; a request without a key is not affected.
func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138300").AccessToken
	other := e.login(t, "13800138301").AccessToken
	body := map[string]any{"type": "new_filing"}

	first := postWithKey(t, e.client, "/api/v1/orders", "order-1", tk, body)
	if first.Status != http.StatusCreated || first.Header.Get("Idempotency-Replayed") != "" {
		t.Fatalf("first: %d %v %s", first.Status, first.Header, first.Body)
	}
	again := postWithKey(t, e.client, "/api/v1/orders", "order-1", tk, body)
	if again.Status != http.StatusCreated || !bytes.Equal(again.Body, first.Body) ||
		again.Header.Get("Idempotency-Replayed") != "true" || again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Fatalf("replay: %d %v %s, want the first answer %s", again.Status, again.Header, again.Body, first.Body)
	}
	if res := postWithKey(t, e.client, "/api/v1/orders", "order-1", tk, map[string]any{"type": "transfer"}); res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != "IDEMPOTENCY_KEY_REUSED" {
		t.Fatalf("reused key: %d %s", res.Status, res.Body)
	}
	// The stored answer is sealed: Redis never holds the response in clear.
	var me struct{ ID int64 }
	e.client.Do(http.MethodGet, "/api/v1/me", nil, tk).JSON(t, &me)
	raw, err := e.app.Redis.Client.Get(context.Background(), fmt.Sprintf("beian:idem:u%d:order-1", me.ID)).Bytes()
	if err != nil || len(raw) == 0 || bytes.Contains(raw, []byte("new_filing")) {
		t.Fatalf("stored record (%v): %q", err, raw)
	}
	// Without a key the account's one-order rule answers as before.
	if res := e.client.Do(http.MethodPost, "/api/v1/orders", body, tk); res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_IN_PROGRESS" {
		t.Fatalf("second order without a key: %d %s", res.Status, res.Body)
	}
	// Another account's same key is its own.
	if res := postWithKey(t, e.client, "/api/v1/orders", "order-1", other, body); res.Status != http.StatusCreated || bytes.Equal(res.Body, first.Body) {
		t.Fatalf("other account: %d %s", res.Status, res.Body)
	}
	// A bad key is a validation error, not a silent pass.
	if res := postWithKey(t, e.client, "/api/v1/orders", "bad\tkey", tk, body); res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != "VALIDATION_FAILED" {
		t.Fatalf("bad key: %d %s", res.Status, res.Body)
	}
	var list struct {
		Items []orderBody `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/orders", nil, tk).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("orders after retries: %d", len(list.Items))
	}
}

// TestIdempotencyKeyUnauthenticated: an SMS code request retried with its key is answered from
// the first send instead of the per-phone resend limit, and sends one SMS.
func TestIdempotencyKeyUnauthenticated(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	body := map[string]string{"phone": "13800138302", "purpose": "login"}
	first := postWithKey(t, e.client, "/api/v1/auth/sms-codes", "sms-1", "", body)
	again := postWithKey(t, e.client, "/api/v1/auth/sms-codes", "sms-1", "", body)
	if first.Status != http.StatusAccepted || again.Status != http.StatusAccepted || !bytes.Equal(first.Body, again.Body) ||
		again.Header.Get("Idempotency-Replayed") != "true" {
		t.Fatalf("sms code retry: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	// A fresh key is a new request, and the resend limit answers it.
	if res := postWithKey(t, e.client, "/api/v1/auth/sms-codes", "sms-2", "", body); res.Status != http.StatusTooManyRequests {
		t.Fatalf("new key within the resend interval: %d %s", res.Status, res.Body)
	}
}

// TestIdempotentUploadRace: many concurrent uploads of one material with one key (each with its
// own multipart boundary, as a retrying client builds it) store exactly one material; the others
// are answered in progress or replayed.
func TestIdempotentUploadRace(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138303").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	scan := colourScan(t)
	const n = 12
	statuses := make([]int, n)
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		req := e.client.MultipartRequest(fmt.Sprintf("/api/v1/orders/%d/materials", o.ID),
			[][2]string{{"kind", "commitment_letter"}}, "file", "scan.png", scan, tk)
		req.Header.Set("Idempotency-Key", "upload-letter")
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := e.client.Send(req)
			statuses[i], bodies[i] = res.Status, res.Body
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	var createdBody []byte
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			if createdBody != nil && !bytes.Equal(createdBody, bodies[i]) {
				t.Errorf("two different 201 answers: %s and %s", createdBody, bodies[i])
			}
			createdBody = bodies[i]
			created++
		case http.StatusConflict:
		default:
			t.Errorf("upload %d: %d %s", i, s, bodies[i])
		}
	}
	var list struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/materials", o.ID), nil, tk).JSON(t, &list)
	if created == 0 || len(list.Items) != 1 {
		t.Fatalf("%d answered 201, %d materials stored; want one material", created, len(list.Items))
	}
	// After the race a retry is a replay of the one stored answer.
	req := e.client.MultipartRequest(fmt.Sprintf("/api/v1/orders/%d/materials", o.ID),
		[][2]string{{"kind", "commitment_letter"}}, "file", "scan.png", scan, tk)
	req.Header.Set("Idempotency-Key", "upload-letter")
	if res := e.client.Send(req); res.Status != http.StatusCreated || !bytes.Equal(res.Body, createdBody) || res.Header.Get("Idempotency-Replayed") != "true" {
		t.Fatalf("retry after the race: %d %s", res.Status, res.Body)
	}
}

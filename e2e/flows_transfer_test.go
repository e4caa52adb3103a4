package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// filedAccount logs phone in and files the Guangdong enterprise of gdEnterprisePatch for it over
// HTTP (review and bureau steps driven as approveAndFile does). It returns the account's token.
func (e *filingEnv) filedAccount(t *testing.T, phone string) string {
	t.Helper()
	tk := e.login(t, phone).AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	e.approveAndFile(t, id)
	return tk
}

// nextCode waits (bounded) for an SMS code to phone other than old and returns it.
func (e *filingEnv) nextCode(t *testing.T, phone, old string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c := e.inboxCode(t, phone); c != old {
			return c
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no new SMS code reached %s", phone)
	return ""
}

// status GETs path and returns the status code.
func (e *filingEnv) status(t *testing.T, token, path string) int {
	t.Helper()
	return e.client.Do(http.MethodGet, path, nil, token).Status
}

// TestTransferMovesTheSubjectOnTheAccountHoldersCode: account A opens a
// transfer to B, the code goes to A's phone, and on the right code the order is approved and the
// subject with its services belongs to B (A sees 404), in one step with no review.
func TestTransferMovesTheSubjectOnTheAccountHoldersCode(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	const phoneA, phoneB = "13800138300", "13800138301"
	tkA := e.filedAccount(t, phoneA)
	tkB := e.login(t, phoneB).AccessToken
	if got := e.status(t, tkB, "/api/v1/subject"); got != http.StatusNotFound {
		t.Fatalf("target before transfer: %d", got)
	}

	for _, typ := range []string{"transfer", "migrate"} {
		res := e.client.Do(http.MethodPost, "/api/v1/orders", map[string]any{"type": typ, "target_phone": phoneB, "service_ids": []int{1}}, tkA)
		if res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != "USE_TRANSFERS_ENDPOINT" {
			t.Fatalf("POST /orders %s: %d %s, want 422 USE_TRANSFERS_ENDPOINT", typ, res.Status, res.Body)
		}
	}
	var started struct {
		Order orderBody `json:"order"`
	}
	res := e.client.Do(http.MethodPost, "/api/v1/transfers", map[string]any{"type": "transfer", "target_phone": phoneB}, tkA)
	if res.Status != http.StatusCreated {
		t.Fatalf("POST /transfers: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &started)
	o := started.Order
	loginCode := e.inboxCode(t, phoneA)
	e.submit(t, tkA, o.ID)
	got := e.orderStatus(t, tkA, o.ID)
	if got != "sms_verifying" {
		t.Fatalf("transfer after submit: %s", got)
	}
	if st, code := e.verifySMS(t, tkA, o.ID, "account_holder", "000000"); st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d %s", st, code)
	}
	code := e.nextCode(t, phoneA, loginCode)
	if st, c := e.verifySMS(t, tkA, o.ID, "account_holder", code); st != http.StatusOK {
		t.Fatalf("verify: %d %s", st, c)
	}
	if got := e.orderStatus(t, tkA, o.ID); got != "approved" {
		t.Fatalf("transfer after the code: %s", got)
	}
	if got := e.status(t, tkA, "/api/v1/subject"); got != http.StatusNotFound {
		t.Errorf("source after transfer: GET /subject %d, want 404", got)
	}
	if got := e.status(t, tkB, "/api/v1/subject"); got != http.StatusOK {
		t.Errorf("target after transfer: GET /subject %d, want 200", got)
	}
	var svcs struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, tkB).JSON(t, &svcs)
	if len(svcs.Items) != 1 {
		t.Fatalf("target's services: %+v", svcs)
	}
	if got := e.status(t, tkA, fmt.Sprintf("/api/v1/services/%d", svcs.Items[0].ID)); got != http.StatusNotFound {
		t.Errorf("source reads the moved service: %d", got)
	}
}

func (e *filingEnv) orderStatus(t *testing.T, token string, id int64) string {
	t.Helper()
	var o orderBody
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", id), nil, token)
	if res.Status != http.StatusOK {
		t.Fatalf("get order %d: %d %s", id, res.Status, res.Body)
	}
	res.JSON(t, &o)
	return o.Status
}

package e2e

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/beian/beian/api/client"
)

// TestTypedClientRetriesAndOptimisticEdits drives the API through the client generated from the
// served OpenAPI document: the catalog revalidates by ETag, a create retried with its
// Idempotency-Key is answered from the first, and an edit from an old ETag is 412 with the current
// version, all in the document's own types.
func TestTypedClientRetriesAndOptimisticEdits(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token := e.login(t, "13800138340").AccessToken
	auth := client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
	c, err := client.NewClientWithResponses(e.client.Base(), auth)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	cat, err := c.GetApiV1CatalogWithResponse(ctx, nil)
	if err != nil || cat.JSON200 == nil || len(cat.JSON200.Provinces) != 31 {
		t.Fatalf("catalog: %v %s", err, cat.Body)
	}
	etag := cat.HTTPResponse.Header.Get("ETag")
	if again, err := c.GetApiV1CatalogWithResponse(ctx, &client.GetApiV1CatalogParams{IfNoneMatch: &etag}); err != nil || again.StatusCode() != http.StatusNotModified {
		t.Fatalf("catalog revalidation: %v %d", err, again.StatusCode())
	}

	key := "typed-client-order"
	first, err := c.PostApiV1OrdersWithResponse(ctx, &client.PostApiV1OrdersParams{IdempotencyKey: &key}, client.PostApiV1OrdersJSONRequestBody{Type: "new_filing"})
	if err != nil || first.JSON201 == nil {
		t.Fatalf("create: %v %s", err, first.Body)
	}
	retry, err := c.PostApiV1OrdersWithResponse(ctx, &client.PostApiV1OrdersParams{IdempotencyKey: &key}, client.PostApiV1OrdersJSONRequestBody{Type: "new_filing"})
	if err != nil || retry.JSON201 == nil || retry.JSON201.Id != first.JSON201.Id || retry.HTTPResponse.Header.Get("Idempotency-Replayed") != "true" {
		t.Fatalf("retry: %v %s", err, retry.Body)
	}

	id := first.JSON201.Id
	got, err := c.GetApiV1OrdersIdWithResponse(ctx, id)
	if err != nil || got.JSON200 == nil {
		t.Fatalf("get: %v %s", err, got.Body)
	}
	old := got.HTTPResponse.Header.Get("ETag")
	body := []byte(`{"subject":{"name":"广州市示例科技有限公司"}}`)
	ok, err := c.PatchApiV1OrdersIdWithBodyWithResponse(ctx, id, &client.PatchApiV1OrdersIdParams{IfMatch: &old}, "application/json", bytes.NewReader(body))
	if err != nil || ok.JSON200 == nil || ok.JSON200.Version != got.JSON200.Version+1 {
		t.Fatalf("patch: %v %s", err, ok.Body)
	}
	stale, err := c.PatchApiV1OrdersIdWithBodyWithResponse(ctx, id, &client.PatchApiV1OrdersIdParams{IfMatch: &old}, "application/json", bytes.NewReader(body))
	if err != nil || stale.JSON412 == nil || stale.JSON412.Error.Code != "VERSION_MISMATCH" ||
		stale.JSON412.Error.CurrentVersion == nil || *stale.JSON412.Error.CurrentVersion != ok.JSON200.Version {
		t.Fatalf("stale patch: %v %d %s", err, stale.StatusCode(), stale.Body)
	}
}

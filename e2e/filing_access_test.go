package e2e

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"testing"
)

// TestAnotherAccountsResourcesAre404: orders, materials, subjects and services of
// another account answer 404 on every route, exactly like ids that do not exist.
func TestAnotherAccountsResourcesAre404(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	owner := e.login(t, "13800138050").AccessToken
	other := e.login(t, "13800138051").AccessToken
	serviceID, order, m := ownerWithFiling(t, e, owner)

	routes := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/v1/orders/%d", nil},
		{http.MethodPatch, "/api/v1/orders/%d", map[string]any{}},
		{http.MethodGet, "/api/v1/orders/%d/requirements", nil},
		{http.MethodPost, "/api/v1/orders/%d/submit", nil},
		{http.MethodPost, "/api/v1/orders/%d/withdraw", nil},
		{http.MethodPost, "/api/v1/orders/%d/abandon", nil},
		{http.MethodGet, "/api/v1/orders/%d/events", nil},
		{http.MethodGet, "/api/v1/orders/%d/materials", nil},
		{http.MethodDelete, "/api/v1/orders/%d/materials/" + fmt.Sprint(m), nil},
	}
	for _, r := range routes {
		for _, id := range []int64{order.ID, 999999} {
			path := fmt.Sprintf(r.path, id)
			if res := e.client.Do(r.method, path, r.body, other); res.Status != http.StatusNotFound || res.ErrorCode() != "NOT_FOUND" {
				t.Errorf("%s %s as another account: %d %s", r.method, path, res.Status, res.Body)
			}
		}
	}
	for _, path := range []string{fmt.Sprintf("/api/v1/materials/%d/content", m), fmt.Sprintf("/api/v1/services/%d", serviceID), "/api/v1/subject"} {
		if res := e.client.Do(http.MethodGet, path, nil, other); res.Status != http.StatusNotFound {
			t.Errorf("GET %s as another account: %d %s", path, res.Status, res.Body)
		}
		if res := e.client.Do(http.MethodGet, path, nil, owner); res.Status != http.StatusOK {
			t.Errorf("GET %s as the owner: %d %s", path, res.Status, res.Body)
		}
	}
	if res := e.upload(t, other, order.ID, "service_principal_id:1", colourScan(t)); res.Status != http.StatusNotFound {
		t.Errorf("upload to another account's order: %d %s", res.Status, res.Body)
	}
	var list struct {
		Items []orderBody `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/orders", nil, other).JSON(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("another account lists %d orders", len(list.Items))
	}
}

// ownerWithFiling files a subject and one website for owner, then opens a change_service order with
// one material; it returns the filed service's id, the order and the material's id.
func ownerWithFiling(t *testing.T, e *filingEnv, owner string) (int64, orderBody, int64) {
	t.Helper()
	filed := e.completeOrder(t, owner)
	e.submit(t, owner, filed)
	e.approveAndFile(t, filed)
	var services struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, owner).JSON(t, &services)
	if len(services.Items) != 1 {
		t.Fatalf("owner's services: %+v", services)
	}
	order := e.createOrder(t, owner, map[string]any{"type": "change_service"})
	var m struct {
		ID int64 `json:"id"`
	}
	e.upload(t, owner, order.ID, "service_principal_id:1", colourScan(t)).JSON(t, &m)
	return services.Items[0].ID, order, m.ID
}

// TestRawRowsHoldNoPlaintextNumbers: after filing, no column of any table holds a
// certificate or ID number in plain text.
func TestRawRowsHoldNoPlaintextNumbers(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138060").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	e.approveAndFile(t, id)
	e.createOrder(t, tk, map[string]any{"type": "change_both"})
	tables, err := e.app.DB.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	secrets := [][]byte{[]byte(gdUSCC), []byte(legalRepID), []byte(webManagerID)}
	scanned := map[string]int{}
	for _, table := range tables {
		rows, err := e.app.DB.Raw("SELECT * FROM " + table).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			scanned[table]++
			for i, v := range vals {
				for _, s := range secrets {
					if bytes.Contains(v, s) {
						t.Errorf("%s.%s holds a certificate or ID number in plain text", table, cols[i])
					}
				}
			}
		}
		rows.Close()
	}
	for _, table := range []string{"orders", "order_events", "subjects", "services", "materials"} {
		if scanned[table] == 0 {
			t.Errorf("table %s has no rows to check", table)
		}
	}
}

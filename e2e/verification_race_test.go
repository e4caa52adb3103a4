package e2e

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
)

// TestConcurrentQRRequests asks for the QR codes of both people of 16 fresh orders (16 applicants) all
// at once, so that every request inserts its verification row while the others do. On MySQL at
// REPEATABLE READ these inserts and the lookups by the unique person key take gap locks on the same
// index ranges and deadlock even across orders; every request must still answer 201.
func TestConcurrentQRRequests(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := &filingEnv{testEnv: newTestEnv(t)}
	people := []map[string]any{{"role": "subject_principal"}, {"role": "service_principal", "service_id": 1}}
	type order struct {
		token string
		path  string
	}
	var orders []order
	for i := range 16 {
		token := e.login(t, fmt.Sprintf("138001384%02d", i)).AccessToken // one order in progress per account
		o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
		e.patch(t, token, o.ID, gdEnterprisePatch())
		orders = append(orders, order{token, fmt.Sprintf("/api/v1/orders/%d/verifications", o.ID)})
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, o := range orders {
		for _, person := range people {
			wg.Go(func() {
				<-start
				if res := e.client.Do(http.MethodPost, o.path, person, o.token); res.Status != http.StatusCreated {
					t.Errorf("QR for %v on %s: %d %s", person, o.path, res.Status, res.Body)
				}
			})
		}
	}
	close(start)
	wg.Wait()
}

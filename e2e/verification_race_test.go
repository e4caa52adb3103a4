package e2e

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
)

// TestConcurrentQRRequestsForTwoPeople asks for the QR codes of an order's two people at the same time,
// for a fresh order each round (the first request for a person inserts its row). On MySQL the two transactions meet on the verifications table's unique index and
// one can be chosen as a deadlock victim; the repository reruns it, so both requests answer 201.
func TestConcurrentQRRequestsForTwoPeople(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := &filingEnv{testEnv: newTestEnv(t)}
	people := []map[string]any{{"role": "subject_principal"}, {"role": "service_principal", "service_id": 1}}
	for round := range 20 {
		token := e.login(t, fmt.Sprintf("138001384%02d", round)).AccessToken // one order in progress per account
		o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
		e.patch(t, token, o.ID, gdEnterprisePatch())
		path := fmt.Sprintf("/api/v1/orders/%d/verifications", o.ID)
		var wg sync.WaitGroup
		for _, person := range people {
			wg.Go(func() {
				if res := e.client.Do(http.MethodPost, path, person, token); res.Status != http.StatusCreated {
					t.Errorf("round %d, QR for %v: %d %s", round, person, res.Status, res.Body)
				}
			})
		}
		wg.Wait()
	}
}

package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/filing"
)

type eventBody struct {
	Event string `json:"event"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// TestConcurrentTransitionsFollowTheTable: 50 goroutines submit,
// withdraw and abandon one order; every success is exactly one event, the events form a path
// through the transition table, and the order ends where the last event leads.
func TestConcurrentTransitionsFollowTheTable(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	tk := e.login(t, "13800138020").AccessToken
	id := e.completeOrder(t, tk)
	actions := []string{"submit", "withdraw", "abandon"}
	statuses := make([]int, 50)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			<-start
			// abandon is rarer so that the order lives through several submit/withdraw rounds first
			action := actions[i%2]
			if i%10 == 9 {
				action = "abandon"
			}
			statuses[i] = e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/%s", id, action), nil, tk).Status
		})
	}
	close(start)
	wg.Wait()
	succeeded := 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			succeeded++
		case http.StatusConflict:
		default:
			t.Fatalf("unexpected status %d", s)
		}
	}
	var events struct {
		Items []eventBody `json:"items"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/events", id), nil, tk).JSON(t, &events)
	if len(events.Items) != succeeded {
		t.Fatalf("%d requests succeeded but %d events were written", succeeded, len(events.Items))
	}
	rows := filing.Transitions(filing.OrderNewFiling)
	at := "draft"
	for i, ev := range events.Items {
		ok := slices.ContainsFunc(rows, func(r filing.TransitionRow) bool {
			return string(r.From) == ev.From && string(r.Event) == ev.Event && string(r.To) == ev.To
		})
		if ev.From != at || !ok {
			t.Fatalf("event %d %+v does not continue the path from %s through the table", i, ev, at)
		}
		at = ev.To
	}
	var o orderBody
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", id), nil, tk).JSON(t, &o)
	if o.Status != at {
		t.Fatalf("order is %s, the last event leads to %s", o.Status, at)
	}
	t.Logf("%d events, final status %s", len(events.Items), at)
}

// TestConcurrentCreatesAllowOneOrder: two simultaneous POST /orders
// for one account create exactly one order; the other gets 409 ORDER_IN_PROGRESS naming it.
func TestConcurrentCreatesAllowOneOrder(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	for round := range 5 {
		tk := e.login(t, fmt.Sprintf("1380013803%d", round)).AccessToken
		type result struct {
			status  int
			code    string
			id      int64
			blocker int64
		}
		results := make([]result, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				<-start
				res := e.client.Do(http.MethodPost, "/api/v1/orders", map[string]any{"type": "new_filing"}, tk)
				var body struct {
					ID    int64 `json:"id"`
					Error struct {
						OrderID int64 `json:"order_id"`
					} `json:"error"`
				}
				res.JSON(t, &body)
				results[i] = result{status: res.Status, code: res.ErrorCode(), id: body.ID, blocker: body.Error.OrderID}
			})
		}
		close(start)
		wg.Wait()
		slices.SortFunc(results, func(a, b result) int { return a.status - b.status })
		won, lost := results[0], results[1]
		if won.status != http.StatusCreated || lost.status != http.StatusConflict || lost.code != "ORDER_IN_PROGRESS" || lost.blocker != won.id {
			t.Fatalf("round %d: %+v", round, results)
		}
		var list struct {
			Items []orderBody `json:"items"`
		}
		e.client.Do(http.MethodGet, "/api/v1/orders", nil, tk).JSON(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("round %d: the account has %d orders", round, len(list.Items))
		}
	}
}

func TestAbandonFreesTheAccountForANewOrder(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138040").AccessToken
	first := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	res := e.client.Do(http.MethodPost, "/api/v1/orders", map[string]any{"type": "new_filing"}, tk)
	if res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_IN_PROGRESS" {
		t.Fatalf("second order: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/abandon", first.ID), nil, tk); res.Status != http.StatusOK {
		t.Fatalf("abandon: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPatch, fmt.Sprintf("/api/v1/orders/%d", first.ID), map[string]any{}, tk); res.ErrorCode() != "ORDER_NOT_EDITABLE" {
		t.Fatalf("patch abandoned order: %d %s", res.Status, res.Body)
	}
	e.createOrder(t, tk, map[string]any{"type": "new_filing"})
}

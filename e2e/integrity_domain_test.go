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

// individualPatch is a complete Guangdong individual filing of one website on domain, by the
// person with resident ID id.
func individualPatch(domain, id string) map[string]any {
	self := person("赵六", id, "13800138102", "zhao@example.com")
	return map[string]any{
		"subject": map[string]any{"nature": 5, "cert_type": 2, "cert_number": id, "name": "赵六", "province": "44",
			"cert_address": "广州市天河区示例路2号", "contact_address": "广州市天河区示例路2号", "principal": self},
		"services": []any{map[string]any{
			"kind": "website", "name": "六六的小站", "domains": []string{domain}, "home_url": "https://www." + domain,
			"ips": []string{"203.0.113.11"}, "access_mode": 16, "content_types": 128, "languages": []int{1}, "principal": self,
		}},
	}
}

// individualOrder opens an individual's complete new_filing of domain, still in draft.
func (e *filingEnv) individualOrder(t *testing.T, token, domain, id string) int64 {
	t.Helper()
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.patch(t, token, o.ID, individualPatch(domain, id))
	for _, kind := range []string{"principal_id", "commitment_letter"} {
		if res := e.upload(t, token, o.ID, kind, colourScan(t)); res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", kind, res.Status, res.Body)
		}
	}
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	if r := e.requirements(t, token, o.ID); !r.Complete {
		t.Fatalf("individual order not complete: %v", r.keys())
	}
	return o.ID
}

type submitResult struct {
	status  int
	code    string
	domains []string
}

func (e *filingEnv) trySubmit(t *testing.T, token string, id int64) submitResult {
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/submit", id), nil, token)
	var body struct {
		Error struct {
			Domains []string `json:"domains"`
		} `json:"error"`
	}
	if res.Status != http.StatusOK {
		res.JSON(t, &body)
	}
	return submitResult{res.Status, res.ErrorCode(), body.Error.Domains}
}

// TestDomainOneSubject: two accounts with two subjects submit the same domain at once; exactly
// one holds it and the other is 409 DOMAIN_FILED_ELSEWHERE naming it. Abandoning the winner's order
// releases the domain; once filed, another subject is refused again, until the filed service is
// cancelled.
func TestDomainOneSubject(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	tokA := e.login(t, "13800138720").AccessToken
	tokB := e.login(t, "13800138721").AccessToken
	idA, idB := e.completeOrder(t, tokA), e.individualOrder(t, tokB, "example.cn", residentID("440106", "19851111", "357"))

	results := make([]submitResult, 2)
	var wg sync.WaitGroup
	wg.Go(func() { results[0] = e.trySubmit(t, tokA, idA) })
	wg.Go(func() { results[1] = e.trySubmit(t, tokB, idB) })
	wg.Wait()
	winner := slices.IndexFunc(results, func(r submitResult) bool { return r.status == http.StatusOK })
	loser := 1 - winner
	if winner < 0 || results[loser].status != http.StatusConflict || results[loser].code != "DOMAIN_FILED_ELSEWHERE" ||
		!slices.Equal(results[loser].domains, []string{"example.cn"}) {
		t.Fatalf("racing submits: %+v, want one 200 and one 409 DOMAIN_FILED_ELSEWHERE [example.cn]", results)
	}
	tokens, ids := []string{tokA, tokB}, []int64{idA, idB}
	if got := e.orderStatus(t, tokens[loser], ids[loser]); got != "draft" {
		t.Fatalf("the refused order is %s, want draft", got)
	}

	if r := e.trySubmit(t, tokens[loser], ids[loser]); r.code != "DOMAIN_FILED_ELSEWHERE" {
		t.Fatalf("resubmitting the refused order: %+v", r)
	}
	for _, action := range []string{"withdraw", "abandon"} {
		if res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/%s", ids[winner], action), nil, tokens[winner]); res.Status != http.StatusOK {
			t.Fatalf("%s the winner: %d %s", action, res.Status, res.Body)
		}
	}
	if r := e.trySubmit(t, tokens[loser], ids[loser]); r.status != http.StatusOK {
		t.Fatalf("after the winner abandoned: %+v, want 200", r)
	}
	e.approveAndFile(t, ids[loser])

	tokC := e.login(t, "13800138722").AccessToken
	idC := e.individualOrder(t, tokC, "example.cn", residentID("440106", "19920202", "468"))
	if r := e.trySubmit(t, tokC, idC); r.status != http.StatusConflict || r.code != "DOMAIN_FILED_ELSEWHERE" {
		t.Fatalf("a filed domain under a third subject: %+v", r)
	}
	var services struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, tokens[loser]).JSON(t, &services)
	if len(services.Items) != 1 {
		t.Fatalf("filed services of the holder: %+v", services)
	}
	e.cancelAndFile(t, tokens[loser], "cancel_service", []int64{services.Items[0].ID})
	if r := e.trySubmit(t, tokC, idC); r.status != http.StatusOK {
		t.Fatalf("after the holder cancelled the service: %+v, want 200", r)
	}
}

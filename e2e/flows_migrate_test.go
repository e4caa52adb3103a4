package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
)

// seedSubject logs phone in and files a subject of the given nature and province for the account
// directly in the filed records (a fixture: the filing road itself is tested elsewhere).
func (e *filingEnv) seedSubject(t *testing.T, phone string, nature int, province, cert string) string {
	t.Helper()
	tk := e.login(t, phone).AccessToken
	u, err := repository.NewUserRepo(e.app.DB).UserByPhone(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	info := filing.SubjectInfo{Nature: nature, CertType: 1, CertNumber: cert, Name: "接收方" + phone, Province: province,
		Principal: filing.Person{Name: "王五", Mobile: phone}}
	o := filing.Order{ID: 1, AccountID: u.ID, Type: filing.OrderNewFiling, Status: filing.StatusApproved,
		Proposal: filing.Proposal{Subject: info}, UpdatedAt: e.clock.Now()}
	if err := repository.NewFilingRepo(e.app.DB, e.cipher(t)).ApplyApproved(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return tk
}

type transferBody struct {
	Order         orderBody `json:"order"`
	Authorization *struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	} `json:"authorization"`
}

// TestMigrationRulesAndAuthorization: refused to a province outside the
// list and to an individual; within the list the target grants by SMS code (once), and after
// approval the service belongs to the target's subject while the source is left a shell subject.
func TestMigrationRulesAndAuthorization(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	src := e.filedAccount(t, "13800138600")
	_, serviceID := e.filedIDs(t, src)
	target := e.seedSubject(t, "13800138601", 4, "44", "91440101MA5CJQ4N6X")
	e.seedSubject(t, "13800138602", 4, "36", "91360101MA5CJQ4N6Y")
	e.seedSubject(t, "13800138603", 5, "44", residentID("440106", "19850101", "321"))

	for phone, reason := range map[string]string{"13800138602": "MIGRATION_NOT_IN_PROVINCE", "13800138603": "MIGRATION_TO_INDIVIDUAL"} {
		res := e.client.Do(http.MethodPost, "/api/v1/transfers", map[string]any{"type": "migrate", "target_phone": phone, "service_ids": []int64{serviceID}}, src)
		var body struct {
			Error struct {
				Reason string `json:"reason"`
			} `json:"error"`
		}
		res.JSON(t, &body)
		if res.Status != http.StatusConflict || body.Error.Reason != reason {
			t.Errorf("migrate to %s: %d %s, want 409 %s", phone, res.Status, res.Body, reason)
		}
	}

	oldCode := e.inboxCode(t, "13800138601")
	res := e.client.Do(http.MethodPost, "/api/v1/transfers", map[string]any{"type": "migrate", "target_phone": "13800138601", "service_ids": []int64{serviceID}}, src)
	var started transferBody
	res.JSON(t, &started)
	if res.Status != http.StatusCreated || started.Authorization == nil || started.Authorization.Status != "pending" {
		t.Fatalf("start migration: %d %s", res.Status, res.Body)
	}
	id := started.Order.ID
	e.patch(t, src, id, map[string]any{"agreements": []string{filing.AgreeShellSubject}})
	e.verified.confirm(id, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	submit := fmt.Sprintf("/api/v1/orders/%d/submit", id)
	if res := e.client.Do(http.MethodPost, submit, nil, src); res.Status != http.StatusConflict || res.ErrorCode() != "AUTHORIZATION_REQUIRED" {
		t.Fatalf("submit before the grant: %d %s", res.Status, res.Body)
	}
	e.grantMigration(t, target, started.Authorization.ID, e.nextCode(t, "13800138601", oldCode))
	e.submit(t, src, id)
	e.approveAndFile(t, id)

	var svcs struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, target).JSON(t, &svcs)
	if len(svcs.Items) != 1 || svcs.Items[0].ID != serviceID {
		t.Errorf("target's services after the migration: %+v", svcs)
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, src).JSON(t, &svcs)
	if len(svcs.Items) != 0 || e.status(t, src, "/api/v1/subject") != http.StatusOK {
		t.Errorf("source after the migration: services %+v, want a shell subject", svcs)
	}
}

// grantMigration tries a wrong code, the right one, and the right one again (single use).
func (e *filingEnv) grantMigration(t *testing.T, target string, authID int64, code string) {
	t.Helper()
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/authorizations", nil, target).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != authID {
		t.Fatalf("target's authorization requests: %+v", list)
	}
	grant := fmt.Sprintf("/api/v1/authorizations/%d/grant", authID)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if res := e.client.Do(http.MethodPost, grant, map[string]string{"code": wrong}, target); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("wrong code: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, grant, map[string]string{"code": code}, target); res.Status != http.StatusOK {
		t.Fatalf("grant: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, grant, map[string]string{"code": code}, target); res.Status != http.StatusConflict || res.ErrorCode() != "AUTHORIZATION_DECIDED" {
		t.Errorf("second grant: %d %s", res.Status, res.Body)
	}
}

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/notify"
)

// inspectorToken logs phone in and makes the account a reviewer.
func (e *filingEnv) inspectorToken(t *testing.T, phone string) string {
	t.Helper()
	e.login(t, phone)
	users := repository.NewUserRepo(e.app.DB)
	u, err := users.UserByPhone(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	if err := users.SetRole(context.Background(), u.ID, account.RoleReviewer); err != nil {
		t.Fatal(err)
	}
	return e.tokenAt(t, phone)
}

type inspectionBody struct {
	ID        int64    `json:"id"`
	SubjectID int64    `json:"subject_id"`
	ServiceID int64    `json:"service_id"`
	Status    string   `json:"status"`
	Reasons   []string `json:"reasons"`
}

// openInspection opens an inspection of the applicant's subject (service 0) or service, due in days.
func (e *filingEnv) openInspection(t *testing.T, reviewer string, subjectID, serviceID int64, days int) inspectionBody {
	t.Helper()
	body := map[string]any{"reasons": []string{"CHECK_SUBJECT_NAME_MISMATCH"}, "comment": "名称与执照不一致",
		"deadline": e.clock.Now().Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339)}
	if serviceID != 0 {
		body["service_id"] = serviceID
	} else {
		body["subject_id"] = subjectID
	}
	res := e.client.Do(http.MethodPost, "/api/v1/review/inspections", body, reviewer)
	if res.Status != http.StatusCreated {
		t.Fatalf("open inspection: %d %s", res.Status, res.Body)
	}
	var in inspectionBody
	res.JSON(t, &in)
	return in
}

// filedIDs returns the applicant's subject id and first live service id.
func (e *filingEnv) filedIDs(t *testing.T, token string) (int64, int64) {
	t.Helper()
	var sub struct {
		ID int64 `json:"id"`
	}
	e.client.Do(http.MethodGet, "/api/v1/subject", nil, token).JSON(t, &sub)
	var svcs struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, token).JSON(t, &svcs)
	if sub.ID == 0 || len(svcs.Items) == 0 {
		t.Fatalf("no filed records: %+v %+v", sub, svcs)
	}
	return sub.ID, svcs.Items[0].ID
}

func (e *filingEnv) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int64
	if err := e.app.DB.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestInspectionNoticeAnswerAndResolve: a reviewer opens a check of a filed service, the notice
// goes out by SMS and e-mail, the applicant sees and answers it, the reviewer resolves it, and a
// closed check takes no more answers.
func TestInspectionNoticeAnswerAndResolve(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	applicant := e.filedAccount(t, "13800138400")
	reviewer := e.inspectorToken(t, "13800138409")
	subjectID, serviceID := e.filedIDs(t, applicant)

	bad := []map[string]any{
		{"service_id": serviceID, "reasons": []string{"NOT_A_CODE"}, "deadline": e.clock.Now().Add(time.Hour).Format(time.RFC3339)},
		{"service_id": serviceID, "reasons": []string{"CHECK_SUBJECT_ABNORMAL"}, "deadline": e.clock.Now().Add(-time.Hour).Format(time.RFC3339)},
		{"subject_id": subjectID, "service_id": serviceID, "reasons": []string{"CHECK_SUBJECT_ABNORMAL"}, "deadline": e.clock.Now().Add(time.Hour).Format(time.RFC3339)},
		{"service_id": 99999, "reasons": []string{"CHECK_SUBJECT_ABNORMAL"}, "deadline": e.clock.Now().Add(time.Hour).Format(time.RFC3339)},
	}
	for _, b := range bad {
		if res := e.client.Do(http.MethodPost, "/api/v1/review/inspections", b, reviewer); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d %s, want 422", b, res.Status, res.Body)
		}
	}
	if res := e.client.Do(http.MethodGet, "/api/v1/review/inspections", nil, applicant); res.Status != http.StatusForbidden {
		t.Errorf("applicant on the reviewer list: %d", res.Status)
	}

	in := e.openInspection(t, reviewer, 0, serviceID, 15)
	if in.Status != "open" || in.SubjectID != subjectID || in.ServiceID != serviceID {
		t.Fatalf("opened %+v", in)
	}
	e.waitForSMS(t, "13800138400", "经核查")
	if n := e.count(t, "SELECT COUNT(*) FROM outbox WHERE template = ?", notify.TemplateInspectionNotice); n != 2 {
		t.Errorf("notices in the outbox: %d, want SMS and e-mail", n)
	}

	var mine struct {
		Items []inspectionBody `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/inspections", nil, applicant).JSON(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != in.ID {
		t.Fatalf("applicant's inspections: %+v", mine)
	}
	answer := fmt.Sprintf("/api/v1/inspections/%d/answer", in.ID)
	if res := e.client.Do(http.MethodPost, answer, map[string]any{}, applicant); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty answer: %d", res.Status)
	}
	if res := e.client.Do(http.MethodPost, answer, map[string]any{"note": "已更正"}, reviewer); res.Status != http.StatusNotFound {
		t.Errorf("another account answers: %d", res.Status)
	}
	res := e.client.Do(http.MethodPost, answer, map[string]any{"note": "网站名称已按执照更正"}, applicant)
	if res.Status != http.StatusOK {
		t.Fatalf("answer: %d %s", res.Status, res.Body)
	}
	resolve := fmt.Sprintf("/api/v1/review/inspections/%d/resolve", in.ID)
	if res := e.client.Do(http.MethodPost, resolve, map[string]any{"comment": "已整改"}, reviewer); res.Status != http.StatusOK {
		t.Fatalf("resolve: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, answer, map[string]any{"note": "again"}, applicant); res.Status != http.StatusConflict || res.ErrorCode() != "INSPECTION_CLOSED" {
		t.Errorf("answer a resolved inspection: %d %s", res.Status, res.Body)
	}
	e.clock.Advance(20 * 24 * time.Hour)
	if n, err := e.app.Inspections.ExpireDue(context.Background()); err != nil || n != 0 {
		t.Errorf("sweep after a resolved inspection's deadline: %d %v", n, err)
	}
}

// TestOverdueInspectionCancelsAccessOnce: past the deadline (injected clock) an
// unresolved inspection of the subject cancels this provider's access to every service, logs the
// event and notifies once, with the per-inspection task and the sweep racing 20 times.
func TestOverdueInspectionCancelsAccessOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	applicant := e.filedAccount(t, "13800138410")
	reviewer := e.inspectorToken(t, "13800138419")
	subjectID, _ := e.filedIDs(t, applicant)
	in := e.openInspection(t, reviewer, subjectID, 0, 7)
	ctx := context.Background()
	if ok, err := e.app.Inspections.Expire(ctx, in.ID); ok || err != nil {
		t.Fatalf("expire before the deadline: %v %v", ok, err)
	}

	e.clock.Advance(7*24*time.Hour + time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var n int
			var err error
			if i%2 == 0 {
				var ok bool
				ok, err = e.app.Inspections.Expire(ctx, in.ID)
				n = map[bool]int{true: 1}[ok]
			} else {
				n, err = e.app.Inspections.ExpireDue(ctx)
			}
			if err != nil {
				t.Errorf("expire: %v", err)
			}
			mu.Lock()
			wins += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d callers expired the inspection, want 1", wins)
	}
	e.assertAccessCancelledOnce(t, e.tokenAt(t, "13800138410"), subjectID, in.ID)
}

func (e *filingEnv) assertAccessCancelledOnce(t *testing.T, applicant string, subjectID, id int64) {
	t.Helper()
	live, err := repository.NewFilingRepo(e.app.DB, e.cipher(t)).LiveServices(context.Background(), subjectID)
	if err != nil || len(live) != 0 {
		t.Errorf("live services after the overdue inspection: %d %v", len(live), err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM outbox WHERE template = ? AND channel = ?", notify.TemplateInspectionOverdue, "sms"); n != 1 {
		t.Errorf("overdue SMS notices: %d, want 1", n)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM inspection_events WHERE inspection_id = ? AND event = ?", id, "overdue"); n != 1 {
		t.Errorf("overdue events: %d, want 1", n)
	}
	var mine struct {
		Items []inspectionBody `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/inspections?status=overdue", nil, applicant).JSON(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != id {
		t.Errorf("applicant's overdue inspections: %+v", mine)
	}
}

// TestInspectionDeadlineTaskCancelsAccess runs inspection:deadline through the worker.
func TestInspectionDeadlineTaskCancelsAccess(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	applicant := e.filedAccount(t, "13800138420")
	reviewer := e.inspectorToken(t, "13800138429")
	_, serviceID := e.filedIDs(t, applicant)
	in := e.openInspection(t, reviewer, 0, serviceID, 3)
	e.clock.Advance(4 * 24 * time.Hour)
	task, err := jobs.NewInspectionDeadlineTask(in.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Queue.Enqueue(task); err != nil {
		t.Fatal(err)
	}
	e.waitForCount(t, func() int {
		return e.count(t, "SELECT COUNT(*) FROM inspections WHERE id = ? AND status = ?", in.ID, "overdue")
	}, 1)
	svc, err := repository.NewFilingRepo(e.app.DB, e.cipher(t)).FiledService(context.Background(), serviceID)
	if err != nil || svc.Status != filing.RecordCancelled {
		t.Errorf("service after the overdue inspection: %s %v", svc.Status, err)
	}
}

package e2e

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// staleReminders counts the stale-order reminders that reached phone.
func (e *testEnv) staleReminders(t *testing.T, phone string) int {
	t.Helper()
	var inbox struct {
		Messages []struct {
			Text string `json:"text"`
		} `json:"messages"`
	}
	e.client.Do(http.MethodGet, "/api/v1/dev/sms?phone="+phone, nil, "").JSON(t, &inbox)
	n := 0
	for _, m := range inbox.Messages {
		if strings.Contains(m.Text, "将失效") { // the reminder, not the expiry notice
			n++
		}
	}
	return n
}

func TestStaleOrdersAreRemindedOnceAtEachStepAndExpireAt45Days(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	const phone = "13800138060"
	token := e.login(t, phone).AccessToken
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	sweep := func(day, wantReminded, wantExpired int) {
		t.Helper()
		r, x, err := e.app.StaleOrders.Sweep(context.Background())
		if err != nil || r != wantReminded || x != wantExpired {
			t.Fatalf("sweep at day %d: reminded %d, expired %d, err %v; want %d, %d", day, r, x, err, wantReminded, wantExpired)
		}
	}
	steps := []struct {
		day                 int
		reminded, expired   int
		remindersInTheInbox int
	}{
		{6, 0, 0, 0}, {7, 1, 0, 1}, {8, 0, 0, 1}, {15, 1, 0, 2}, {16, 0, 0, 2}, {30, 1, 0, 3}, {44, 0, 0, 3}, {45, 0, 1, 3}, {46, 0, 0, 3},
	}
	start := e.clock.Now()
	for _, s := range steps {
		e.clock.Advance(start.Add(time.Duration(s.day) * 24 * time.Hour).Sub(e.clock.Now()))
		sweep(s.day, s.reminded, s.expired)
		sweep(s.day, 0, 0) // a second sweep at the same moment sends nothing more
		e.waitForCount(t, func() int { return e.staleReminders(t, phone) }, s.remindersInTheInbox)
	}
	token = e.tokenAt(t, phone) // the first one expired days ago
	got := e.client.Do(http.MethodGet, "/api/v1/orders/"+itoa(o.ID), nil, token)
	var body orderBody
	got.JSON(t, &body)
	if body.Status != string(filing.StatusExpired) {
		t.Fatalf("after 45 idle days the order is %s", body.Status)
	}
	e.waitForSMS(t, phone, "已失效")
	res := e.client.Do(http.MethodPost, "/api/v1/orders/"+itoa(o.ID)+"/reactivate", nil, token)
	res.JSON(t, &body)
	if res.Status != http.StatusOK || body.Status != string(filing.StatusDraft) {
		t.Fatalf("reactivate: %d %s", res.Status, res.Body)
	}
}

func TestEditingAStaleOrderRestartsItsReminders(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token := e.login(t, "13800138061").AccessToken
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.clock.Advance(8 * 24 * time.Hour)
	if r, _, _ := e.app.StaleOrders.Sweep(context.Background()); r != 1 {
		t.Fatalf("day 8: %d reminders, want 1", r)
	}
	e.patch(t, e.tokenAt(t, "13800138061"), o.ID, gdEnterprisePatch()) // the applicant acts: the idle clock restarts
	e.clock.Advance(8 * 24 * time.Hour)
	if r, _, _ := e.app.StaleOrders.Sweep(context.Background()); r != 1 {
		t.Fatalf("8 days after the edit: %d reminders, want the first reminder again", r)
	}
}

// tokenAt mints an access token for phone's account at the test clock's time, for tests that move
// the clock past the lifetime of the token they logged in with.
func (e *testEnv) tokenAt(t *testing.T, phone string) string {
	t.Helper()
	u, err := repository.NewUserRepo(e.app.DB).UserByPhone(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.app.Tokens.IssueAccess(u, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// waitForCount waits (bounded) until count() equals want, for asynchronously delivered messages.
func (e *testEnv) waitForCount(t *testing.T, count func() int, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for got := count(); got != want; got = count() {
		if got > want || time.Now().After(deadline) {
			t.Fatalf("%d messages, want %d", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOneBrokenOrderDoesNotStopTheStaleSweep(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	phones := []string{"13800138062", "13800138063", "13800138064"}
	ids := make([]int64, len(phones))
	for i, phone := range phones {
		ids[i] = e.createOrder(t, e.login(t, phone).AccessToken, map[string]any{"type": "new_filing"}).ID
	}
	// The middle order's proposal no longer decrypts: every attempt to load it fails.
	if err := e.app.DB.Exec("UPDATE orders SET proposal_enc = ? WHERE id = ?", []byte("not a sealed proposal"), ids[1]).Error; err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(8 * 24 * time.Hour)
	reminded, _, err := e.app.StaleOrders.Sweep(context.Background())
	var row *kernel.RowError
	if reminded != 2 || !errors.As(err, &row) || row.ID != ids[1] {
		t.Fatalf("sweep: %d reminded, err %v; want the two good orders reminded and order %d reported", reminded, err, ids[1])
	}
	e.waitForCount(t, func() int { return e.staleReminders(t, phones[0]) + e.staleReminders(t, phones[2]) }, 2)
}

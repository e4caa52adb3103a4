package repository_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// addNotes writes n notifications whose codes tell them apart and returns their ids.
func addNotes(t *testing.T, outbox *repository.OutboxRepo, n int) []int64 {
	t.Helper()
	ns := make([]notify.Notification, n)
	for i := range ns {
		ns[i] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode, Recipient: "13800138000",
			Params: map[string]string{"code": fmt.Sprintf("%06d", i), "minutes": "5"}, CreatedAt: kernel.SystemClock()}
	}
	ids, err := outbox.Add(context.Background(), ns...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

type outboxState struct {
	Status   string
	Attempts int
}

func outboxStates(t *testing.T, db *gorm.DB) map[int64]outboxState {
	t.Helper()
	var rows []struct {
		ID       int64
		Status   string
		Attempts int
	}
	if err := db.Raw("SELECT id, status, attempts FROM outbox").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := make(map[int64]outboxState, len(rows))
	for _, r := range rows {
		out[r.ID] = outboxState{Status: r.Status, Attempts: r.Attempts}
	}
	return out
}

// TestOutboxConcurrentClaimsWinOncePerRow has many goroutines claim the same rows through eight
// repositories (eight processes' combiners), so claims of one row meet in one batch and in
// concurrent batches: each row is won by exactly one claim and leased exactly once.
func TestOutboxConcurrentClaimsWinOncePerRow(t *testing.T) {
	t.Parallel()
	const rows, processes, claimers = 60, 8, 32
	db := dbtest.New(t)
	dbtest.Races(t)
	repos := make([]*repository.OutboxRepo, processes)
	for i := range repos {
		repos[i] = repository.NewOutboxRepo(db.Gorm, newCipher(t))
	}
	ids := addNotes(t, repos[0], rows)
	codes := map[int64]string{}
	for i, id := range ids {
		codes[id] = fmt.Sprintf("%06d", i)
	}
	wins := make([][]int64, claimers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range claimers {
		wg.Go(func() {
			<-start
			now := kernel.SystemClock()
			for i := range ids {
				id := ids[(i+g*7)%len(ids)] // each goroutine starts elsewhere, so every row is contested at some point
				n, err := repos[g%processes].ClaimNotification(context.Background(), id, now, now.Add(time.Minute))
				switch {
				case errors.Is(err, notify.ErrAlreadyDelivered):
				case err != nil:
					t.Errorf("claim %d: %v", id, err)
				case n.ID != id || n.Params["code"] != codes[id] || n.Attempts != 1 || n.Status != notify.NotificationSending:
					t.Errorf("claim %d returned %+v", id, n)
				default:
					wins[g] = append(wins[g], id)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	won := map[int64]int{}
	for _, w := range wins {
		for _, id := range w {
			won[id]++
		}
	}
	states := outboxStates(t, db.Gorm)
	for _, id := range ids {
		if won[id] != 1 {
			t.Errorf("row %d won %d times", id, won[id])
		}
		if s := states[id]; s.Status != string(notify.NotificationSending) || s.Attempts != 1 {
			t.Errorf("row %d is %+v, want sending after 1 attempt", id, s)
		}
	}
}

// batchFault blocks the first outbox query (or update) once gate is set until released, and
// fails outbox UPDATEs with err while err is set, counting them.
type batchFault struct {
	entered, release chan struct{}
	gate             atomic.Bool
	err              atomic.Pointer[error]
	failed           atomic.Int32
}

func newBatchFault(t *testing.T, db *gorm.DB, gateUpdates bool) *batchFault {
	t.Helper()
	f := &batchFault{entered: make(chan struct{}), release: make(chan struct{})}
	gate := func(tx *gorm.DB) {
		if tx.Statement.Table == "outbox" && f.gate.CompareAndSwap(true, false) {
			close(f.entered)
			<-f.release
		}
	}
	fail := func(tx *gorm.DB) {
		if err := f.err.Load(); err != nil && tx.Statement.Table == "outbox" {
			f.failed.Add(1)
			tx.AddError(*err)
		}
	}
	name := "test:" + t.Name()
	gated := db.Callback().Query()
	if gateUpdates {
		gated = db.Callback().Update()
	}
	if err := gated.Before("*").Register(name+":gate", gate); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Update().Before("gorm:update").Register(name+":fail", fail); err != nil {
		t.Fatal(err)
	}
	return f
}

// inOneBatch runs call for every id concurrently, such that the first call's batch is held at its
// first statement until all the others have queued behind it (they then form the next batch), and
// returns each call's error.
func inOneBatch(t *testing.T, f *batchFault, outbox *repository.OutboxRepo, ids []int64, queued func() int, call func(id int64) error) []error {
	t.Helper()
	repository.SerialOutboxBatches(outbox)
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	f.gate.Store(true)
	wg.Go(func() { errs[0] = call(ids[0]) })
	<-f.entered
	for i := 1; i < len(ids); i++ {
		wg.Go(func() { errs[i] = call(ids[i]) })
	}
	for queued() < len(ids)-1 {
		time.Sleep(time.Millisecond)
	}
	close(f.release)
	wg.Wait()
	return errs
}

// TestOutboxFailedBatchAnswersEveryCaller fails the UPDATE of a claim batch and of an outcome
// batch: every caller of the batch gets the error, the transaction leaves no trace, and the same
// calls succeed once the fault is gone.
func TestOutboxFailedBatchAnswersEveryCaller(t *testing.T) {
	t.Parallel()
	const rows = 12
	injected := errors.New("injected fault")
	tests := []struct {
		name  string
		claim bool // else outcomes
	}{
		{"claims", true},
		{"outcomes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := dbtest.New(t)
			outbox := repository.NewOutboxRepo(db.Gorm, newCipher(t))
			ids := addNotes(t, outbox, rows)
			ctx := context.Background()
			now := kernel.SystemClock()
			claim := func(id int64) error {
				_, err := outbox.ClaimNotification(ctx, id, now, now.Add(time.Minute))
				return err
			}
			finish := func(id int64) error {
				return outbox.FinishNotification(ctx, id, notify.NotificationSent, now, "")
			}
			call, queued, before := claim, func() int { c, _ := repository.OutboxQueued(outbox); return c }, notify.NotificationPending
			if !tt.claim {
				for _, id := range ids {
					if err := claim(id); err != nil {
						t.Fatal(err)
					}
				}
				call, queued, before = finish, func() int { _, o := repository.OutboxQueued(outbox); return o }, notify.NotificationSending
			}
			f := newBatchFault(t, db.Gorm, !tt.claim)
			f.err.Store(&injected)
			errs := inOneBatch(t, f, outbox, ids, queued, call)
			for i, err := range errs {
				if !errors.Is(err, injected) {
					t.Errorf("call %d of a failed batch: %v", i, err)
				}
			}
			if got := f.failed.Load(); got != 2 {
				t.Errorf("%d failed UPDATEs, want 2 (the held batch and the one behind it)", got)
			}
			for id, s := range outboxStates(t, db.Gorm) {
				if s.Status != string(before) || s.Attempts != map[bool]int{true: 0, false: 1}[tt.claim] {
					t.Errorf("row %d after the failed batch: %+v", id, s)
				}
			}
			f.err.Store(nil)
			for _, id := range ids {
				if err := call(id); err != nil {
					t.Errorf("row %d after the fault: %v", id, err)
				}
			}
		})
	}
}

// TestOutboxBatchRetriesDeadlockWhole makes the UPDATE of a claim batch of several rows lose a
// deadlock (after it ran): transact reruns the whole batch and every claim is won once.
func TestOutboxBatchRetriesDeadlockWhole(t *testing.T) {
	t.Parallel()
	const rows = 10
	db := dbtest.New(t)
	outbox := repository.NewOutboxRepo(db.Gorm, newCipher(t))
	ids := addNotes(t, outbox, rows)
	f := newBatchFault(t, db.Gorm, false)
	deadlock := error(&mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"})
	var updates atomic.Int32
	if err := db.Gorm.Callback().Update().After("gorm:update").Register("test:deadlock", func(tx *gorm.DB) {
		if updates.Add(1) == 2 { // the first is the held batch of one claim, the second the batch behind it
			tx.AddError(deadlock)
		}
	}); err != nil {
		t.Fatal(err)
	}
	now := kernel.SystemClock()
	errs := inOneBatch(t, f, outbox, ids, func() int { c, _ := repository.OutboxQueued(outbox); return c }, func(id int64) error {
		_, err := outbox.ClaimNotification(context.Background(), id, now, now.Add(time.Minute))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("claim %d: %v", i, err)
		}
	}
	for id, s := range outboxStates(t, db.Gorm) {
		if s.Status != string(notify.NotificationSending) || s.Attempts != 1 {
			t.Errorf("row %d: %+v, want sending after 1 attempt", id, s)
		}
	}
	if n := updates.Load(); n != 3 {
		t.Errorf("%d claim UPDATEs, want 3 (one batch of one, one of the rest, its rerun)", n)
	}
}

// TestOutboxOutcomeOfLostLease records outcomes in one batch where one row is no longer being
// sent: only that row's caller hears of it; the others are recorded.
func TestOutboxOutcomeOfLostLease(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	outbox := repository.NewOutboxRepo(db.Gorm, newCipher(t))
	ids := addNotes(t, outbox, 6)
	ctx := context.Background()
	now := kernel.SystemClock()
	for _, id := range ids {
		if _, err := outbox.ClaimNotification(ctx, id, now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	lost := ids[3]
	if err := outbox.FinishNotification(ctx, lost, notify.NotificationSent, now, ""); err != nil {
		t.Fatal(err)
	}
	f := newBatchFault(t, db.Gorm, true)
	errs := inOneBatch(t, f, outbox, ids, func() int { _, o := repository.OutboxQueued(outbox); return o }, func(id int64) error {
		return outbox.FinishNotification(ctx, id, notify.NotificationFailed, now, "provider said no")
	})
	for i, err := range errs {
		if want := ids[i] == lost; (err != nil) != want {
			t.Errorf("outcome of row %d: %v (lease lost: %v)", ids[i], err, want)
		}
	}
	for id, s := range outboxStates(t, db.Gorm) {
		want := notify.NotificationFailed
		if id == lost {
			want = notify.NotificationSent
		}
		if s.Status != string(want) {
			t.Errorf("row %d is %s, want %s", id, s.Status, want)
		}
	}
}

// TestOutboxAddReturnsEachRowsID writes more rows than one multi-row INSERT takes, next to rows
// written concurrently, and checks that each returned id names the row written for it.
func TestOutboxAddReturnsEachRowsID(t *testing.T) {
	t.Parallel()
	const rows, writers = 600, 3
	db := dbtest.New(t)
	outbox := repository.NewOutboxRepo(db.Gorm, newCipher(t))
	ids := make([][]int64, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			ns := make([]notify.Notification, rows)
			for i := range ns {
				ns[i] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
					Recipient: fmt.Sprintf("1380013%04d", w), Params: map[string]string{"code": fmt.Sprintf("%06d", i)},
					CreatedAt: kernel.SystemClock()}
			}
			var err error
			if ids[w], err = outbox.Add(context.Background(), ns...); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	now := kernel.SystemClock()
	for w := range writers {
		if len(ids[w]) != rows {
			t.Fatalf("writer %d got %d ids", w, len(ids[w]))
		}
		for i, id := range ids[w] {
			n, err := outbox.ClaimNotification(context.Background(), id, now, now.Add(time.Minute))
			if err != nil {
				t.Fatalf("claim %d: %v", id, err)
			}
			if n.Recipient != fmt.Sprintf("1380013%04d", w) || n.Params["code"] != fmt.Sprintf("%06d", i) {
				t.Fatalf("id %d (writer %d, row %d) names %s %v", id, w, i, n.Recipient, n.Params)
			}
		}
	}
}

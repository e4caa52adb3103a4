package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

func TestSeveralRelaysAtOnceDeliverEachRowExactlyOnce(t *testing.T) {
	const rows, relays = 400, 4
	dbtest.Races(t)
	sms := &countingSMS{count: map[string]int{}}
	p := newPipeline(t, sms, notify.Limits{})
	ctx := context.Background()
	ns := make([]notify.Notification, rows)
	for i := range ns {
		ns[i] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode, Recipient: "13800138000",
			Params: map[string]string{"code": fmt.Sprintf("%06d", i), "minutes": "5"}, CreatedAt: kernel.SystemClock()}
	}
	// Written but never dispatched: only the relays can bring them to the queue.
	if _, err := p.outbox.Add(ctx, ns...); err != nil {
		t.Fatal(err)
	}
	worker := jobs.NewWorker(&jobs.Redis{Client: p.rdb}, jobs.Services{Notifications: p.notifications}, p.log,
		jobs.WorkerOptions{Concurrency: 8, TaskCheckInterval: 10 * time.Millisecond})
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer worker.Shutdown(context.Background())
	time.Sleep(10 * time.Millisecond)

	start := make(chan struct{})
	var wg sync.WaitGroup
	enqueued := make([]int, relays)
	for r := range relays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// No grace: every pass also takes up rows already queued, so the relays keep meeting.
			relay := jobs.NewRelay(p.notifications, p.enqueuer, p.log, time.Millisecond, 0)
			<-start
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(sms.snapshot()) < rows; {
				n, err := relay.RunOnce(ctx)
				if err != nil {
					t.Errorf("relay %d: %v", r, err)
					return
				}
				enqueued[r] += n
			}
		}()
	}
	close(start)
	wg.Wait()
	// The relays met for up to 20 s; whatever they queued the worker may still be delivering (a
	// slow machine, -race, SQLite's one connection). Wait while deliveries make progress, and give
	// up only on a stall, so that the test measures correctness and not the machine's speed.
	for last, stalled := 0, time.Now(); len(sms.snapshot()) < rows && time.Since(stalled) < time.Minute; time.Sleep(50 * time.Millisecond) {
		if n := len(sms.snapshot()); n > last {
			last, stalled = n, time.Now()
		}
	}
	time.Sleep(500 * time.Millisecond) // a duplicate that was on its way arrives
	got := sms.snapshot()
	if len(got) != rows {
		t.Fatalf("%d of %d rows delivered (relays handled %v)", len(got), rows, enqueued)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("row %s delivered %d times", id, n)
		}
	}
	counts, err := p.notifications.Counts(ctx)
	if err != nil || counts[notify.NotificationPending]+counts[notify.NotificationEnqueued]+counts[notify.NotificationSending]+counts[notify.NotificationFailed] != 0 {
		t.Fatalf("rows not sent: %v, %v", counts, err)
	}
	info, err := p.inspector.GetQueueInfo("default")
	if err == nil && info.Archived != 0 {
		t.Fatalf("%d tasks archived", info.Archived)
	}
	t.Logf("rows handled per relay: %v", enqueued)
}

package jobs_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
)

// queuedTasks lists the pending notification tasks and the rows each carries.
func (p *pipeline) queuedTasks(t *testing.T) map[string][]int64 {
	t.Helper()
	tasks, err := p.inspector.ListPendingTasks("default", asynq.PageSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int64{}
	for _, task := range tasks {
		var payload struct {
			OutboxID  int64   `json:"outbox_id"`
			OutboxIDs []int64 `json:"outbox_ids"`
		}
		if err := json.Unmarshal(task.Payload, &payload); err != nil {
			t.Fatal(err)
		}
		if payload.OutboxID != 0 {
			payload.OutboxIDs = append(payload.OutboxIDs, payload.OutboxID)
		}
		out[task.ID] = payload.OutboxIDs
	}
	return out
}

// TestABurstGoesOutAsTasksOfManyRows: 120 notifications dispatched at once become three tasks that
// carry every row once. The relay asks the queue about each task: rows of a queued task stay, rows
// of a lost task are enqueued afresh, rows of an archived task end failed.
func TestABurstGoesOutAsTasksOfManyRows(t *testing.T) {
	p := newPipeline(t, &failingSMS{}, notify.Limits{})
	ctx := context.Background()
	now := kernel.SystemClock()
	refs := make([]notify.NotificationRef, 120)
	for i := range refs {
		refs[i] = notify.NotificationRef{ID: p.add(t, now), Channel: notify.ChannelSMS}
	}
	if err := p.enqueuer.Dispatch(ctx, refs...); err != nil {
		t.Fatal(err)
	}
	tasks := p.queuedTasks(t)
	var carried []int64
	for _, ids := range tasks {
		carried = append(carried, ids...)
	}
	slices.Sort(carried)
	if len(tasks) != 3 || len(carried) != 120 || slices.Compact(carried)[119] != refs[119].ID {
		t.Fatalf("%d tasks carrying %d rows, want 3 carrying each of 120 once", len(tasks), len(carried))
	}
	for _, ref := range refs {
		if got := p.row(t, ref.ID); got.Status != notify.NotificationEnqueued {
			t.Fatalf("row %d is %s after the dispatch", ref.ID, got.Status)
		}
	}

	relay := jobs.NewRelay(p.notifications, p.enqueuer, p.log, time.Millisecond, 0)
	time.Sleep(10 * time.Millisecond)
	if n, err := relay.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("relay over queued tasks moved %d rows, %v", n, err)
	}

	var lost, archived string
	for id := range tasks {
		switch {
		case lost == "":
			lost = id
		case archived == "":
			archived = id
		}
	}
	if err := p.inspector.DeleteTask("default", lost); err != nil {
		t.Fatal(err)
	}
	if err := p.inspector.ArchiveTask("default", archived); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	want := len(tasks[lost]) + len(tasks[archived])
	if n, err := relay.RunOnce(ctx); err != nil || n != want {
		t.Fatalf("relay after a task was lost and one archived: %d rows moved, want %d, %v", n, want, err)
	}
	for _, id := range tasks[archived] {
		if got := p.row(t, id); got.Status != notify.NotificationFailed || !strings.Contains(got.LastError, "queue gave up") {
			t.Fatalf("row %d of the archived task: %s %q", id, got.Status, got.LastError)
		}
	}
	again := p.queuedTasks(t)
	if _, still := again[lost]; still || len(again) != 2 { // the archived task is not pending
		t.Fatalf("tasks after the relay: %v", again)
	}
	for id, ids := range again {
		if _, old := tasks[id]; !old && !slices.Equal(ids, tasks[lost]) {
			t.Fatalf("new task %s carries %v, want the lost task's rows %v", id, ids, tasks[lost])
		}
	}
	time.Sleep(10 * time.Millisecond)
	if n, err := relay.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("relay once every row is queued or failed: %d rows moved, %v", n, err)
	}
}

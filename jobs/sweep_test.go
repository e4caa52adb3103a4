package jobs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/beian/beian/service/kernel"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// sweepResultEnforcer returns a fixed outcome from its sweep.
type sweepResultEnforcer struct {
	n   int
	err error
}

func (s sweepResultEnforcer) Expire(context.Context, int64) (bool, error) { return false, nil }
func (s sweepResultEnforcer) ExpireDue(context.Context) (int, error)      { return s.n, s.err }

func TestASweepTaskLogsAndCountsFailedRecordsAndSucceeds(t *testing.T) {
	poisoned := &kernel.RowError{Kind: "order", ID: 42, Err: errors.New("cannot decrypt proposal")}
	listing := errors.New("database is down")
	tests := []struct {
		name      string
		err       error
		wantErr   error
		wantLines int
	}{
		{"all records done", nil, nil, 0},
		{"one record failed", errors.Join(poisoned), nil, 1},
		{"two records failed", errors.Join(poisoned, &kernel.RowError{Kind: "order", ID: 43, Err: kernel.ErrUnavailable}), nil, 2},
		{"the sweep itself failed", errors.Join(poisoned, listing), listing, 1},
		{"a plain error", listing, listing, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			reg := prometheus.NewRegistry()
			metrics, err := NewTaskMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			h := deadlineHandler{sweepType: TypeSMSDeadlineSweep, idKey: "order_id", enforcer: sweepResultEnforcer{n: 3, err: tt.err},
				failures: failureLog{log: slog.New(slog.NewTextHandler(&out, nil)), metrics: metrics}}
			err = h.ProcessTask(context.Background(), asynq.NewTask(TypeSMSDeadlineSweep, nil))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("task returned %v, want %v", err, tt.wantErr)
			}
			if errors.Is(err, poisoned) {
				t.Errorf("a failed record was returned as the task's failure: %v", err)
			}
			lines := strings.Count(out.String(), "sweep: record failed")
			if lines != tt.wantLines {
				t.Fatalf("%d record lines, want %d:\n%s", lines, tt.wantLines, out.String())
			}
			if tt.wantLines > 0 && !strings.Contains(out.String(), "id=42") || tt.wantLines > 0 && !strings.Contains(out.String(), "cannot decrypt proposal") {
				t.Errorf("the log does not name the record and its error:\n%s", out.String())
			}
			if got := testutil.ToFloat64(metrics.rows.WithLabelValues(TypeSMSDeadlineSweep)); got != float64(tt.wantLines) {
				t.Errorf("metric counted %v records, want %d", got, tt.wantLines)
			}
		})
	}
}

package repository_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"gorm.io/gorm"
)

func TestSequenceIsGaplessUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	db := dbtest.New(t)
	const n = 100
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Approvals run through transact, as in production: a deadlock victim runs again.
			var v int64
			err := repository.Transact(context.Background(), db.Gorm, func(tx *gorm.DB) error {
				var err error
				if v, err = repository.NextInSequence(tx, repository.SubjectSequence("44", 2026)); err != nil {
					return err
				}
				if i%10 == 0 { // every tenth approval fails after taking its number
					return errRollback
				}
				return nil
			})
			if err == nil {
				mu.Lock()
				got = append(got, v)
				mu.Unlock()
			} else if err != errRollback {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	if len(got) != n-n/10 {
		t.Fatalf("%d numbers committed, want %d", len(got), n-n/10)
	}
	for i, v := range got {
		if v != int64(i+1) {
			t.Fatalf("committed numbers are not 1..%d without gaps: %v", len(got), got)
		}
	}
	if other, err := nextInSequenceTx(db.Gorm, repository.SubjectSequence("11", 2026)); err != nil || other != 1 {
		t.Fatalf("another province's sequence starts at %d (%v), want 1", other, err)
	}
}

type rollback struct{}

func (rollback) Error() string { return "rollback on purpose" }

var errRollback error = rollback{}

func nextInSequenceTx(db *gorm.DB, name string) (int64, error) {
	var v int64
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		v, err = repository.NextInSequence(tx, name)
		return err
	})
	return v, err
}

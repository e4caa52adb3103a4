package repository_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"gorm.io/gorm"
)

// TestTransactRetriesDeadlock makes two transactions update two rows in opposite orders, each waiting
// for the other to hold its first row, which MySQL resolves by killing one with a deadlock (1213).
// Through transact the victim runs again and both commit; run bare, one of them fails.
func TestTransactRetriesDeadlock(t *testing.T) {
	t.Parallel()
	if !dbtest.Races(t) {
		return // one SQLite connection cannot deadlock; the outcome check below would prove nothing
	}
	db := dbtest.New(t)
	if err := db.Gorm.Exec("CREATE TABLE tx_probe (id INT PRIMARY KEY, n INT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("INSERT INTO tx_probe VALUES (1, 0), (2, 0)").Error; err != nil {
		t.Fatal(err)
	}
	run := func(retry bool) (errs []error, runs int32) {
		var wg sync.WaitGroup
		var both sync.WaitGroup // each transaction holds its first row before either takes its second
		both.Add(2)
		var mu sync.Mutex
		var n atomic.Int32
		for _, order := range [][2]int{{1, 2}, {2, 1}} {
			wg.Go(func() {
				first := true
				fn := func(tx *gorm.DB) error {
					n.Add(1)
					if err := tx.Exec("UPDATE tx_probe SET n = n + 1 WHERE id = ?", order[0]).Error; err != nil {
						return err
					}
					if first {
						first = false
						both.Done()
						both.Wait()
					}
					return tx.Exec("UPDATE tx_probe SET n = n + 1 WHERE id = ?", order[1]).Error
				}
				var err error
				if retry {
					err = repository.Transact(context.Background(), db.Gorm, fn)
				} else {
					err = db.Gorm.Transaction(fn)
				}
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			})
		}
		wg.Wait()
		return errs, n.Load()
	}

	bare, _ := run(false)
	if err := errors.Join(bare...); err == nil || !strings.Contains(err.Error(), "1213") {
		t.Fatalf("bare transactions in opposite orders: want one deadlock (1213), got %v", err)
	}
	errs, runs := run(true)
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("through transact: %v", err)
	}
	if runs < 3 {
		t.Fatalf("transact ran the transactions %d times; the deadlock victim should have run twice", runs)
	}
	var sum int
	if err := db.Gorm.Raw("SELECT SUM(n) FROM tx_probe").Scan(&sum).Error; err != nil {
		t.Fatal(err)
	}
	// The bare run committed one transaction (2 increments), the retried run both (4).
	if sum != 6 {
		t.Fatalf("sum of counters = %d, want 6: a retried transaction was applied twice or not at all", sum)
	}
}

// TestEveryTransactionRetries keeps the deadlock policy in one place: no file of this package opens a
// transaction except through transact.
func TestEveryTransactionRetries(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	direct := regexp.MustCompile(`\.Transaction\(`)
	for _, f := range files {
		if f == "tx.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if direct.MatchString(line) {
				t.Errorf("%s:%d opens a transaction without transact (no deadlock retry): %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestTransactReturnsOtherErrorsAtOnce: only a lost race is retried; any other error ends transact
// after one run, so a failing transaction is never repeated.
func TestTransactReturnsOtherErrorsAtOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	runs := 0
	boom := errors.New("boom")
	err := repository.Transact(context.Background(), db.Gorm, func(tx *gorm.DB) error {
		runs++
		return boom
	})
	if !errors.Is(err, boom) || runs != 1 {
		t.Fatalf("transact = %v after %d runs, want boom after 1", err, runs)
	}
}

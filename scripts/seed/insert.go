package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// provinces are the two-digit codes orders are spread over; Guangdong (44) gets a quarter.
var provinces = []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}

var orderTypes = []string{"new_filing", "new_filing", "new_filing", "new_service", "change_service", "change_subject",
	"change_both", "new_access", "cancel_service", "cancel_access"}

// statuses with their share in percent; pending_review is the queue's default filter.
var statuses = []struct {
	name     string
	share    int
	inFlight bool
}{
	{"pending_review", 30, true}, {"approved", 40, false}, {"draft", 10, true}, {"pending_bureau", 5, true},
	{"sms_verifying", 3, true}, {"bureau_reviewing", 4, true}, {"rejected", 3, true}, {"abandoned", 5, false},
}

// insertAll inserts accounts and then orders, batches spread over workers.
func insertAll(ctx context.Context, db *sql.DB, o options) error {
	base := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, table := range []string{"users", "orders"} {
		batches := make(chan [2]int)
		errs := make(chan error, o.workers)
		var wg sync.WaitGroup
		for range o.workers {
			wg.Go(func() {
				for r := range batches {
					var err error
					if table == "users" {
						err = insertUsers(ctx, db, r[0], r[1], base)
					} else {
						err = insertOrders(ctx, db, r[0], r[1], base)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		var err error
	feed:
		for from := 0; from < o.orders; from += o.batch {
			select {
			case batches <- [2]int{from, min(from+o.batch, o.orders)}:
			case err = <-errs:
				break feed
			}
		}
		close(batches)
		wg.Wait()
		close(errs)
		if err == nil {
			err = <-errs
		}
		if err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return nil
}

func insertUsers(ctx context.Context, db *sql.DB, from, to int, base time.Time) error {
	var b strings.Builder
	args := make([]any, 0, (to-from)*4)
	b.WriteString("INSERT INTO users (id, phone, role, created_at, updated_at) VALUES ")
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,'applicant',?,?)")
		args = append(args, i+1, fmt.Sprintf("170%08d", i), base, base)
	}
	_, err := db.ExecContext(ctx, b.String(), args...)
	return err
}

func insertOrders(ctx context.Context, db *sql.DB, from, to int, base time.Time) error {
	rng := rand.New(rand.NewPCG(uint64(from), 7))
	var b strings.Builder
	args := make([]any, 0, (to-from)*11)
	b.WriteString("INSERT INTO orders (id, account_id, type, status, province, in_flight, proposal_enc, version, " +
		"submitted_at, created_at, updated_at) VALUES ")
	proposal := []byte("seeded order: no proposal")
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,1,?,?,?)")
		st := pickStatus(rng)
		province := provinces[rng.IntN(len(provinces))]
		if rng.IntN(4) == 0 {
			province = "44"
		}
		var inFlight any
		if st.inFlight {
			inFlight = 1
		}
		created := base.Add(time.Duration(rng.Int64N(int64(80 * 24 * time.Hour))))
		updated := created.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		args = append(args, i+1, i+1, orderTypes[rng.IntN(len(orderTypes))], st.name, province, inFlight, proposal,
			updated, created, updated)
	}
	_, err := db.ExecContext(ctx, b.String(), args...)
	return err
}

func pickStatus(rng *rand.Rand) struct {
	name     string
	share    int
	inFlight bool
} {
	n := rng.IntN(100)
	for _, s := range statuses {
		if n < s.share {
			return s
		}
		n -= s.share
	}
	return statuses[0]
}

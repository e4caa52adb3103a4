package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/review"
)

// measure times the first page and the page o.depth pages in, for the default queue (pending
// review, all provinces) and for one province, through the repository query the API runs.
func measure(ctx context.Context, repo *repository.ReviewRepo, o options) error {
	filters := []struct {
		name string
		f    review.QueueFilter
	}{
		{"pending_review", review.QueueFilter{Status: filing.StatusPendingReview}},
		{"pending_review, province 44", review.QueueFilter{Status: filing.StatusPendingReview, Province: "44"}},
		{"pending_review, province 44, new_filing", review.QueueFilter{Status: filing.StatusPendingReview, Province: "44", Type: filing.OrderNewFiling}},
	}
	for _, f := range filters {
		deep, err := walk(ctx, repo, f.f, o.depth, o.limit)
		if err != nil {
			return err
		}
		for _, page := range []struct {
			name  string
			after *review.QueueKey
		}{{"first page", nil}, {fmt.Sprintf("page %d", o.depth+1), deep}} {
			p50, p99, err := sample(ctx, repo, f.f, page.after, o)
			if err != nil {
				return err
			}
			fmt.Printf("queue [%s] %s (limit %d): p50 %s, p99 %s over %d runs\n", f.name, page.name, o.limit,
				p50, p99, o.samples)
		}
	}
	return nil
}

// walk follows the cursor depth pages in and returns the key the next page starts after.
func walk(ctx context.Context, repo *repository.ReviewRepo, f review.QueueFilter, depth, limit int) (*review.QueueKey, error) {
	var after *review.QueueKey
	for range depth {
		items, err := repo.Queue(ctx, f, after, limit+1)
		if err != nil {
			return nil, err
		}
		if len(items) <= limit {
			return nil, fmt.Errorf("the queue has fewer than %d pages", depth+1)
		}
		last := items[limit-1]
		after = &review.QueueKey{Since: last.Since, ID: last.ID}
	}
	return after, nil
}

// sample runs the page query o.samples times (limit+1 rows, as the use case asks) and returns
// the median and the 99th percentile.
func sample(ctx context.Context, repo *repository.ReviewRepo, f review.QueueFilter, after *review.QueueKey, o options) (time.Duration, time.Duration, error) {
	times := make([]time.Duration, o.samples)
	for i := range times {
		start := time.Now()
		if _, err := repo.Queue(ctx, f, after, o.limit+1); err != nil {
			return 0, 0, err
		}
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	p99 := times[min(len(times)-1, len(times)*99/100)]
	return times[len(times)/2].Round(time.Microsecond), p99.Round(time.Microsecond), nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// timed runs op from conc goroutines in a closed loop for d and returns completed operations per
// second. Any failed operation fails the run: a ratio over errors would flatter the subject.
func timed(ctx context.Context, conc int, d time.Duration, op func(ctx context.Context) error) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var done atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	stop := meterFrom(ctx).start()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := op(ctx); err != nil {
					if ctx.Err() != nil {
						return
					}
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
					cancel()
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stop(float64(done.Load()))
	if first != nil {
		return 0, first
	}
	return float64(done.Load()) / elapsed.Seconds(), nil
}

// fixed runs op(0) … op(n-1) from conc goroutines and returns operations per second, metering
// the CPU time of the loop for ctx's meter (if any).
func fixed(ctx context.Context, conc, n int, op func(i int) error) (float64, error) {
	stop := meterFrom(ctx).start()
	rate, err := each(conc, n, op)
	stop(float64(n))
	return rate, err
}

// each runs op(0) … op(n-1) from conc goroutines and returns operations per second.
func each(conc, n int, op func(i int) error) (float64, error) {
	var next atomic.Int64
	errs := make([]error, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := op(i); err != nil {
					errs[w] = err
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// expect sends req and reads the whole answer, failing unless it has status want.
func expect(client *http.Client, req *http.Request, want int) ([]byte, error) {
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d %.200s", req.Method, req.URL.Path, res.StatusCode, body)
	}
	return body, nil
}

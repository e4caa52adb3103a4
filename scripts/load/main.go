// Command load drives a running beian server on this machine and reports throughput and latency
// of authenticated API calls against GET /healthz measured in the same run (the floor: routing,
// middleware and JSON with no database or Redis work). It only talks to loopback addresses and
// stops after -duration per scenario.
//
//	go run ./scripts/load -base http://127.0.0.1:8080 -duration 10s -concurrency 32
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type scenario struct {
	name string
	req  func() (*http.Request, error)
}

func run() error {
	base := flag.String("base", "http://127.0.0.1:8080", "server base URL (loopback only)")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	conc := flag.Int("concurrency", 32, "concurrent clients")
	phone := flag.String("phone", "13800000001", "account to log in with (development inbox needed)")
	flag.Parse()
	if err := loopbackOnly(*base); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}, Timeout: 10 * time.Second}
	token, err := login(client, *base, *phone)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	get := func(path string, auth bool) func() (*http.Request, error) {
		return func() (*http.Request, error) {
			r, err := http.NewRequest(http.MethodGet, *base+path, nil)
			if err == nil && auth {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			return r, err
		}
	}
	scenarios := []scenario{
		{"GET /healthz (baseline)", get("/healthz", false)},
		{"GET /readyz (DB + Redis ping)", get("/readyz", false)},
		{"GET /api/v1/me (JWT + DB)", get("/api/v1/me", true)},
		{"GET /api/v1/orders (JWT + DB list)", get("/api/v1/orders?limit=20", true)},
	}
	var baseline float64
	fmt.Printf("%-36s %10s %9s %9s %9s %8s\n", "scenario", "req/s", "p50", "p99", "errors", "×base")
	for i, s := range scenarios {
		r := drive(client, s, *conc, *duration)
		if i == 0 {
			baseline = r.rps
		}
		fmt.Printf("%-36s %10.0f %9s %9s %9d %8.2f\n", s.name, r.rps, r.p50.Round(10*time.Microsecond),
			r.p99.Round(10*time.Microsecond), r.errors, r.rps/baseline)
	}
	return nil
}

func loopbackOnly(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return errors.New("refusing to load a non-loopback address")
		}
	}
	return nil
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

func drive(client *http.Client, s scenario, conc int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				req, err := s.req()
				if err != nil {
					bad++
					continue
				}
				t := time.Now()
				res, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				if err != nil || res.StatusCode >= 300 {
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	if len(lat) == 0 {
		return result{errors: errs}
	}
	return result{rps: float64(len(lat)) / elapsed.Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], errors: errs}
}

func login(client *http.Client, base, phone string) (string, error) {
	post := func(path, body string) (*http.Response, error) {
		return client.Post(base+path, "application/json", strings.NewReader(body))
	}
	res, err := post("/api/v1/auth/sms-codes", fmt.Sprintf(`{"phone":%q,"purpose":"login"}`, phone))
	if err != nil {
		return "", err
	}
	res.Body.Close()
	var code string
	for i := 0; i < 100 && code == ""; i++ {
		time.Sleep(50 * time.Millisecond)
		r, err := client.Get(base + "/api/v1/dev/sms?phone=" + phone)
		if err != nil {
			return "", err
		}
		var inbox struct {
			Messages []struct{ Code string } `json:"messages"`
		}
		err = json.NewDecoder(r.Body).Decode(&inbox)
		r.Body.Close()
		if err == nil && len(inbox.Messages) > 0 {
			code = inbox.Messages[0].Code
		}
	}
	if code == "" {
		return "", errors.New("no code in the development inbox (is BEIAN_ENV=development with the log SMS provider?)")
	}
	res, err = post("/api/v1/auth/login", fmt.Sprintf(`{"phone":%q,"code":%q}`, phone, code))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var tk struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tk); err != nil || tk.AccessToken == "" {
		return "", fmt.Errorf("login answered %d", res.StatusCode)
	}
	return tk.AccessToken, nil
}

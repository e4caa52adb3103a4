// Command load reproduces the hot-path performance table against a running beian server on this
// machine: every row pairs the server's figure with a bare baseline built here from the same
// libraries (net/http, database/sql, go-qrcode, image/jpeg, asynq), run in the same process run,
// in interleaved pairs (subject first in odd pairs, baseline first in even ones), and prints a
// markdown table of the ratios.
//
// The server and this command read the same BEIAN_* variables (database, Redis, JWT secret, data
// key). The server must run in development (the dev SMS inbox logs the load account in) with
// BEIAN_TRUSTED_PROXIES=127.0.0.1/32, so that scans can spread over many client addresses and stay
// under the per-IP scan limit:
//
//	beian all &
//	go run ./scripts/load -base http://127.0.0.1:8080 -pairs 3
//
// It only talks to loopback addresses. It writes fixtures into the server's database (cloned draft
// orders of the load account, verifications, tokens, outbox rows): point it at a scratch database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// settings are the command line.
type settings struct {
	base          string
	pairs         int
	duration      time.Duration
	conc          int
	phone         string
	scans         int
	qrs           int
	uploads       int
	notifications int
	only          string
	bareServe     string
	tokenFile     string
	serverPID     int
}

func parseFlags() settings {
	var s settings
	flag.StringVar(&s.base, "base", "http://127.0.0.1:8080", "server base URL (loopback only)")
	flag.IntVar(&s.pairs, "pairs", 3, "interleaved subject/baseline pairs per row")
	flag.DurationVar(&s.duration, "duration", 5*time.Second, "length of each timed request loop")
	flag.IntVar(&s.conc, "concurrency", 16, "concurrent clients")
	flag.StringVar(&s.phone, "phone", "13800000001", "account to log in with (development inbox needed)")
	flag.IntVar(&s.scans, "scans", 1000, "distinct QR tokens scanned per run")
	flag.IntVar(&s.qrs, "qrs", 500, "verifications whose QR image is fetched for the first time per run")
	flag.IntVar(&s.uploads, "uploads", 200, "2 MP JPEG uploads per run")
	flag.IntVar(&s.notifications, "notifications", 100_000, "notifications per run")
	flag.StringVar(&s.only, "only", "", "comma-separated row keys to run (orders,healthz,scans,scanfloor,qr,upload,uploadfloor,notify); empty: all")
	flag.StringVar(&s.tokenFile, "token-file", "", "keep the access token in this file and reuse it while valid")
	flag.IntVar(&s.serverPID, "server-pid", 0, "process id of the server, to compare CPU time per request (0: wall-clock rates only)")
	flag.StringVar(&s.bareServe, "bare-serve", "", "internal: serve the bare baseline on this address")
	flag.Parse()
	return s
}

// row is one line of the table: a subject and its baseline, each returning operations per second.
type row struct {
	key, name, goal string
	// timeRatio rows report time per operation ÷ the baseline's (lower is better); the others
	// report throughput ÷ the baseline's (higher is better).
	timeRatio bool
	subject   func(ctx context.Context) (float64, error)
	bare      func(ctx context.Context) (float64, error)
	// cpu rows also compare the CPU time per operation of the server process (-server-pid) and of
	// the baseline's process (the bare server's, or this one's when bareHere), a figure other load
	// on the machine disturbs much less than rates.
	cpu      bool
	bareHere bool
	// warm rows run both sides unmeasured for warmUpFor before the first pair: new connections on
	// both ends, the pools filling and the heaps growing would otherwise be charged to whichever
	// side runs first, the subject in the first pair.
	warm bool
}

// warmUpFor is how long each side of a warm row runs before it is measured.
const warmUpFor = time.Second

func run() error {
	s := parseFlags()
	if err := loopbackOnly(s.base); err != nil {
		return err
	}
	ctx := context.Background()
	cfg, err := config.Load(os.Environ())
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if s.bareServe != "" {
		return serveBare(ctx, a, s.bareServe)
	}
	l, err := newLoad(ctx, s, a)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	defer l.close()
	rows := l.rows()
	fmt.Printf("| hot path | %s | ratio (median) | goal |\n|---|%s---|---|\n", pairHeads(s.pairs), strings.Repeat("---|", s.pairs))
	var cpuLines []string
	for _, r := range rows {
		if s.only != "" && !slices.Contains(strings.Split(s.only, ","), r.key) {
			continue
		}
		if r.warm {
			if err := r.warmUp(ctx); err != nil {
				return fmt.Errorf("%s: warm-up: %w", r.key, err)
			}
		}
		ratios, cpuRatios := make([]float64, 0, s.pairs), make([]float64, 0, s.pairs)
		cells, cpuCells := make([]string, 0, s.pairs), make([]string, 0, s.pairs)
		for p := range s.pairs {
			m, err := l.pair(ctx, r, p%2 == 1)
			if err != nil {
				return fmt.Errorf("%s: %w", r.key, err)
			}
			ratio := m.subj / m.bare
			if r.timeRatio {
				ratio = m.bare / m.subj
			}
			ratios = append(ratios, ratio)
			cells = append(cells, fmt.Sprintf("%.2f (%s / %s)", ratio, rate(m.subj), rate(m.bare)))
			if m.subjCPU > 0 && m.bareCPU > 0 {
				cpuRatio := float64(m.bareCPU) / float64(m.subjCPU)
				if r.timeRatio {
					cpuRatio = 1 / cpuRatio
				}
				cpuRatios = append(cpuRatios, cpuRatio)
				cpuCells = append(cpuCells, fmt.Sprintf("%.2f (%s / %s)", cpuRatios[len(cpuRatios)-1], m.subjCPU.Round(100*time.Nanosecond), m.bareCPU.Round(100*time.Nanosecond)))
			}
		}
		fmt.Printf("| %s | %s | **%.2f** | %s |\n", r.name, strings.Join(cells, " | "), median(ratios), r.goal)
		if len(cpuRatios) == s.pairs {
			how := "CPU per request: bare ÷ server"
			if r.timeRatio {
				how = "CPU per operation: server ÷ baseline"
			}
			cpuLines = append(cpuLines, fmt.Sprintf("| %s, %s | %s | **%.2f** | %s |", r.name, how,
				strings.Join(cpuCells, " | "), median(cpuRatios), r.goal))
		}
	}
	for _, line := range cpuLines {
		fmt.Println(line)
	}
	return nil
}

// measured is one pair: the subject's and the baseline's rates and, for cpu rows, the CPU time
// per operation of each one's process.
type measured struct {
	subj, bare       float64
	subjCPU, bareCPU time.Duration
}

// warmUp runs both sides of r for warmUpFor each, unmeasured; a timed side stops at ctx's deadline.
func (r row) warmUp(ctx context.Context) error {
	for _, side := range []func(ctx context.Context) (float64, error){r.subject, r.bare} {
		wctx, cancel := context.WithTimeout(ctx, warmUpFor)
		_, err := side(wctx)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// pair runs the subject and the baseline once each, the baseline first when bareFirst.
func (l *load) pair(ctx context.Context, r row, bareFirst bool) (measured, error) {
	var m measured
	runSubject := func() error {
		var err error
		if r.cpu && l.s.serverPID > 0 {
			m.subj, m.subjCPU, err = cpuPerOp(ctx, l.s.serverPID, r.subject)
		} else {
			m.subj, err = r.subject(ctx)
		}
		return err
	}
	runBare := func() error {
		var err error
		if r.cpu && l.s.serverPID > 0 {
			pid := l.bareProc.Process.Pid
			if r.bareHere {
				pid = os.Getpid()
			}
			m.bare, m.bareCPU, err = cpuPerOp(ctx, pid, r.bare)
		} else {
			m.bare, err = r.bare(ctx)
		}
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		return nil
	}
	steps := []func() error{runSubject, runBare}
	if bareFirst {
		steps = []func() error{runBare, runSubject}
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return m, err
		}
	}
	if m.subj <= 0 || m.bare <= 0 {
		return m, errors.New("no operation completed")
	}
	return m, nil
}

func pairHeads(n int) string {
	heads := make([]string, n)
	for i := range heads {
		heads[i] = fmt.Sprintf("pair %d (subject / baseline op/s)", i+1)
	}
	return strings.Join(heads, " | ")
}

func rate(opsPerSec float64) string {
	if opsPerSec >= 100 {
		return fmt.Sprintf("%.0f", opsPerSec)
	}
	return fmt.Sprintf("%.1f", opsPerSec)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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

// newClient is an HTTP client keeping enough idle connections for conc workers.
func newClient(conc int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc},
		Timeout: 30 * time.Second}
}

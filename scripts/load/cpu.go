package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of utime and stime in /proc/PID/stat (100 on every
// Linux architecture Go runs on).
const clockTicks = 100

// cpuTime is the user + system CPU time process pid has used so far, from /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which is in parentheses and may hold spaces): state is
	// field 3, utime 14 and stime 15.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad times", pid)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// meter measures the CPU time process pid spends in a row's operation loop (timed or fixed), not
// in the fixtures the row sets up before it.
type meter struct {
	pid int
	cpu time.Duration
	ops float64
	err error
}

type meterKey struct{}

func withMeter(ctx context.Context, m *meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

func meterFrom(ctx context.Context) *meter {
	m, _ := ctx.Value(meterKey{}).(*meter)
	return m
}

// start begins a window; the returned stop ends it with the number of operations done in it. A
// nil meter measures nothing.
func (m *meter) start() (stop func(ops float64)) {
	if m == nil {
		return func(float64) {}
	}
	before, err := cpuTime(m.pid)
	return func(ops float64) {
		after, err2 := cpuTime(m.pid)
		m.cpu += after - before
		m.ops += ops
		m.err = errors.Join(m.err, err, err2)
	}
}

// cpuPerOp runs measure (returning operations per second) and returns that rate with the CPU time
// process pid spent per operation in measure's operation loops.
func cpuPerOp(ctx context.Context, pid int, measure func(ctx context.Context) (float64, error)) (rate float64, perOp time.Duration, err error) {
	m := &meter{pid: pid}
	if rate, err = measure(withMeter(ctx, m)); err != nil {
		return 0, 0, err
	}
	if m.err != nil || m.ops == 0 {
		return rate, 0, cmpOr(m.err, errors.New("no operation metered"))
	}
	return rate, time.Duration(float64(m.cpu) / m.ops), nil
}

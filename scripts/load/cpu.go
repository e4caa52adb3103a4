package main

import (
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

// cpuPerOp runs measure (returning operations per second) and returns that rate with the CPU time
// process pid spent per operation meanwhile.
func cpuPerOp(pid int, measure func() (float64, error)) (rate float64, perOp time.Duration, err error) {
	before, err := cpuTime(pid)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if rate, err = measure(); err != nil {
		return 0, 0, err
	}
	elapsed := time.Since(start)
	after, err := cpuTime(pid)
	if err != nil || rate <= 0 {
		return rate, 0, err
	}
	ops := rate * elapsed.Seconds()
	return rate, time.Duration(float64(after-before) / ops), nil
}

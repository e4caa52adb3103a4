package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
)

// envProcess, when set, makes the test binary run as one beian process (serve, worker or all) with
// the configuration in its environment instead of running tests: the replicas test starts several
// such processes, exactly as `beian serve` and `beian worker` would run, without building a binary.
const envProcess = "BEIAN_E2E_PROCESS"

func TestMain(m *testing.M) {
	if role := os.Getenv(envProcess); role != "" {
		os.Exit(runProcess(app.Role(role)))
	}
	os.Exit(m.Run())
}

func runProcess(role app.Role) int {
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg, err := config.Load(os.Environ())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, log, role); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

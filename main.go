// Command beian is the ICP filing backend: the HTTP API, the background worker, migrations and
// admin tasks, in one binary. `beian` alone runs the API and the worker in one process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "beian:", err)
		os.Exit(1)
	}
}

const usage = `usage: beian [command]

commands:
  all       API, worker and outbox relay in one process (the default)
  serve     the HTTP API only
  worker    the background worker and outbox relay only
  migrate   apply database migrations and exit
  admin create-user --phone PHONE --role reviewer|admin [--password P]
`

// run parses the subcommand and hands it to the app package.
func run(ctx context.Context, args, environ []string, stdout io.Writer) error {
	cmd := "all"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stdout)
	switch cmd {
	case "all", "serve", "worker":
		return app.Run(ctx, cfg, log, app.Role(cmd))
	case "migrate":
		_, err := app.Migrate(ctx, cfg, log)
		return err
	case "admin":
		return runAdmin(ctx, cfg, log, args, stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

func runAdmin(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create-user" {
		return errors.New("admin: the only subcommand is create-user (see beian help)")
	}
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	phone := fs.String("phone", "", "mainland mobile number")
	roleName := fs.String("role", "reviewer", "reviewer or admin")
	password := fs.String("password", "", "optional password (at least 8 characters)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	role, err := account.ParseRole(*roleName)
	if err != nil || role == account.RoleApplicant {
		return fmt.Errorf("admin create-user: --role must be reviewer or admin")
	}
	u, err := app.EnsureStaffUser(ctx, cfg, log, *phone, role, *password)
	if err != nil {
		return fmt.Errorf("admin create-user: %w", err)
	}
	fmt.Fprintf(stdout, "user %d (%s) has role %s\n", u.ID, kernel.MaskPhone(u.Phone), u.Role)
	return nil
}

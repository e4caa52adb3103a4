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
	"strconv"
	"syscall"
	"time"

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
  admin outbox list [--state failed] [--limit N] [--cursor C]
  admin outbox requeue ID
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
	switch {
	case len(args) > 0 && args[0] == "create-user":
		return createUser(ctx, cfg, log, args[1:], stdout)
	case len(args) > 1 && args[0] == "outbox" && args[1] == "list":
		return listOutbox(ctx, cfg, log, args[2:], stdout)
	case len(args) == 3 && args[0] == "outbox" && args[1] == "requeue":
		id, err := strconv.ParseInt(args[2], 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("admin outbox requeue: %q is not an outbox id", args[2])
		}
		n, err := app.RequeueOutbox(ctx, cfg, log, id)
		if err != nil {
			return fmt.Errorf("admin outbox requeue: %w", err)
		}
		fmt.Fprintf(stdout, "notification %d is %s again; the relay enqueues it\n", n.ID, n.Status)
		return nil
	}
	return errors.New("admin: subcommands are create-user, outbox list and outbox requeue ID (see beian help)")
}

func createUser(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	phone := fs.String("phone", "", "mainland mobile number")
	roleName := fs.String("role", "reviewer", "reviewer or admin")
	password := fs.String("password", "", "optional password (at least 8 characters)")
	if err := fs.Parse(args); err != nil {
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

// listOutbox prints one page of outbox rows, one a line, tab-separated, and the next cursor.
func listOutbox(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin outbox list", flag.ContinueOnError)
	state := fs.String("state", "", "pending, enqueued, sending, sent or failed (default all)")
	limit := fs.Int("limit", 50, "rows per page (1-100)")
	cursor := fs.String("cursor", "", "the next cursor printed by the previous page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	page, err := app.ListOutbox(ctx, cfg, log, *state, *cursor, *limit)
	if err != nil {
		return fmt.Errorf("admin outbox list: %w", err)
	}
	for _, n := range page.Items {
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", n.ID, n.Channel, n.Template, n.Recipient, n.Status,
			n.Attempts, n.UpdatedAt.UTC().Format(time.RFC3339), n.LastError)
	}
	if page.NextCursor != "" {
		fmt.Fprintf(stdout, "next cursor: %s\n", page.NextCursor)
	}
	return nil
}

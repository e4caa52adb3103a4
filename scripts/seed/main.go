// Command seed fills a MySQL/MariaDB database with orders and measures the reviewer queue on it.
// It creates (or recreates with -fresh) the database, migrates it, inserts -orders orders (one
// account each) with multi-row INSERTs in batches, then times the first queue page and a page
// -depth pages in, through repository.ReviewRepo.Queue (the query GET /api/v1/review/orders runs),
// and prints p50/p99 of each. It only connects to loopback addresses.
//
//	go run ./scripts/seed -orders 1000000
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/beian/beian/repository"
	"github.com/go-sql-driver/mysql"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

type options struct {
	dsn      string
	database string
	orders   int
	batch    int
	workers  int
	depth    int
	samples  int
	limit    int
	fresh    bool
}

func run() error {
	var o options
	flag.StringVar(&o.dsn, "dsn", "mysql://root@127.0.0.1:3306/", "MySQL server (loopback only; the database name is ignored)")
	flag.StringVar(&o.database, "database", "beian_seed", "database to create and fill")
	flag.IntVar(&o.orders, "orders", 1_000_000, "orders to insert")
	flag.IntVar(&o.batch, "batch", 2000, "rows per INSERT")
	flag.IntVar(&o.workers, "workers", 4, "concurrent inserting connections")
	flag.IntVar(&o.depth, "depth", 100, "how many pages in the deep page is")
	flag.IntVar(&o.samples, "samples", 200, "timed runs per query")
	flag.IntVar(&o.limit, "limit", 20, "page size")
	flag.BoolVar(&o.fresh, "fresh", true, "drop the database first")
	flag.Parse()
	if o.orders < 1 || o.batch < 1 || o.workers < 1 || o.depth < 1 || o.samples < 1 || o.limit < 1 || o.limit > 100 {
		return fmt.Errorf("flags must be positive (limit 1–100)")
	}
	ctx := context.Background()
	url, err := prepare(ctx, o)
	if err != nil {
		return err
	}
	db, dialect, err := repository.Open(url)
	if err != nil {
		return err
	}
	if _, err := repository.Migrate(ctx, db, dialect); err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := insertAll(ctx, sqlDB, o); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Printf("inserted %d accounts and %d orders in %s (%.0f orders/s)\n", o.orders, o.orders, took.Round(time.Millisecond),
		float64(o.orders)/took.Seconds())
	if _, err := sqlDB.ExecContext(ctx, "ANALYZE TABLE orders"); err != nil {
		return err
	}
	return measure(ctx, repository.NewReviewRepo(db), o)
}

// prepare checks the server is on loopback, (re)creates the database and returns its URL.
func prepare(ctx context.Context, o options) (string, error) {
	cfg, err := repository.MySQLConfig(o.dsn)
	if err != nil {
		return "", err
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("refusing non-loopback server %s", cfg.Addr)
	}
	if strings.ContainsAny(o.database, "`'\" ;") {
		return "", fmt.Errorf("bad database name %q", o.database)
	}
	cfg.DBName = ""
	server, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return "", err
	}
	defer server.Close()
	if o.fresh {
		if _, err := server.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+o.database+"`"); err != nil {
			return "", err
		}
	}
	if _, err := server.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+o.database+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		return "", err
	}
	cfg.DBName = o.database
	return "mysql://" + userinfo(cfg) + cfg.Addr + "/" + o.database + "?parseTime=true", nil
}

func userinfo(cfg *mysql.Config) string {
	if cfg.Passwd != "" {
		return cfg.User + ":" + cfg.Passwd + "@"
	}
	return cfg.User + "@"
}

// Package dbtest gives each test its own migrated database: a fresh MySQL/MariaDB database when
// BEIAN_TEST_MYSQL_DSN is set (dropped when the test ends), a temporary SQLite file otherwise.
// A DSN that is set but unreachable fails the test; it never falls back silently.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"gorm.io/gorm"
)

// EnvMySQL names the variable that selects real MySQL for tests, e.g.
// mysql://root@127.0.0.1:3306/ (a mysql:// URL or a go-sql-driver DSN, database name ignored).
const EnvMySQL = "BEIAN_TEST_MYSQL_DSN"

// DB is a migrated test database.
type DB struct {
	Gorm    *gorm.DB
	Dialect repository.Dialect
	URL     string // what BEIAN_DATABASE_URL would be to reach this database
}

// New creates, migrates and (at cleanup) drops a database for t.
func New(t testing.TB) DB {
	t.Helper()
	db := Empty(t)
	if _, err := repository.Migrate(context.Background(), db.Gorm, db.Dialect); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Empty creates and (at cleanup) drops a database for t without migrating it, for tests of the
// migrations themselves.
func Empty(t testing.TB) DB {
	t.Helper()
	dsn := os.Getenv(EnvMySQL)
	var dbURL string
	if dsn == "" {
		dbURL = "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	} else {
		dbURL = createMySQL(t, dsn)
	}
	db, dialect, err := repository.Open(dbURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return DB{Gorm: db, Dialect: dialect, URL: dbURL}
}

func createMySQL(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := repository.MySQLConfig(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvMySQL, err)
	}
	cfg.DBName = ""
	admin, _, err := repository.Open(cfg.FormatDSN())
	if err != nil {
		t.Fatalf("%s: connect: %v", EnvMySQL, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "beian_test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").Error; err != nil {
		t.Fatalf("%s: create database (is MySQL running and reachable?): %v", EnvMySQL, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name)
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	u := url.URL{Scheme: "mysql", User: url.User(cfg.User), Host: cfg.Addr, Path: "/" + name}
	if cfg.Passwd != "" {
		u.User = url.UserPassword(cfg.User, cfg.Passwd)
	}
	return u.String()
}

// Races reports whether the goroutines of a race test really race on the test database, and says
// so in the test log. On MySQL each goroutine gets its own connection, so an exactly-once assertion
// proves the promise. SQLite (the development database) runs on one pooled connection: the
// goroutines queue, and the same assertion checks the outcome without proving anything about
// concurrency.
func Races(t testing.TB) bool {
	t.Helper()
	if os.Getenv(EnvMySQL) != "" {
		return true
	}
	t.Log("one database connection (SQLite): the goroutines queue instead of racing, so this run checks " +
		"the outcome only; the run with " + EnvMySQL + " set proves exactly-once")
	return false
}

// SeedOrder inserts a bare order row (no proposal, not in flight) for tests of stores that lock or
// read an order's status but not its content. accountID must name an existing user.
func (d DB) SeedOrder(t testing.TB, id, accountID int64, status string) {
	t.Helper()
	now := time.Now().UTC()
	err := d.Gorm.Exec("INSERT INTO orders (id, account_id, type, status, province, proposal_enc, version, created_at, updated_at) "+
		"VALUES (?, ?, 'new_filing', ?, '44', ?, 1, ?, ?)", id, accountID, status, []byte{0}, now, now).Error
	if err != nil {
		t.Fatalf("seed order %d: %v", id, err)
	}
}

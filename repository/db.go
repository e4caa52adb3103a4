// Package repository keeps beian's data: gorm rows, their converters to service types, queries,
// transactions and versioned migrations, for MySQL/MariaDB and the embedded SQLite database.
package repository

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database family behind a *gorm.DB.
type Dialect string

// Dialects.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// Open connects to url (mysql://user:pass@host:port/db?params, a go-sql-driver DSN, or sqlite://path)
// with the settings every beian process uses: UTC times, no implicit write transactions, translated
// errors, client-side parameter interpolation on MySQL.
func Open(rawURL string) (*gorm.DB, Dialect, error) {
	dialector, dialect, err := dialectorFor(rawURL)
	if err != nil {
		return nil, "", err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		SkipDefaultTransaction: true,
		TranslateError:         true,
		NowFunc:                kernel.SystemClock,
		Logger:                 logger.Discard,
	})
	if err != nil {
		return nil, "", fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, "", err
	}
	switch dialect {
	case MySQL:
		sqlDB.SetMaxOpenConns(50)
		sqlDB.SetMaxIdleConns(50)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	case SQLite:
		// One connection: SQLite has one writer anyway, and in WAL mode an autocommit write whose
		// read snapshot went stale fails with SQLITE_BUSY_SNAPSHOT without waiting for the busy
		// timeout. Serialising in the pool turns that into queueing. (Development database only.)
		sqlDB.SetMaxOpenConns(1)
	}
	return db, dialect, nil
}

func dialectorFor(rawURL string) (gorm.Dialector, Dialect, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := strings.TrimPrefix(rawURL, "sqlite://")
		if path == "" {
			return nil, "", errors.New("sqlite:// needs a file path")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, "", fmt.Errorf("create database directory: %w", err)
			}
		}
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
		return sqlite.Open(dsn), SQLite, nil
	default:
		cfg, err := MySQLConfig(rawURL)
		if err != nil {
			return nil, "", err
		}
		return gormmysql.New(gormmysql.Config{DSNConfig: cfg}), MySQL, nil
	}
}

// MySQLConfig turns a mysql:// URL or a go-sql-driver DSN into a driver config with beian's
// required settings forced on: parseTime, UTC, interpolateParams, clientFoundRows, utf8mb4.
func MySQLConfig(raw string) (*mysql.Config, error) {
	var cfg *mysql.Config
	if strings.HasPrefix(raw, "mysql://") {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, errors.New("database url: cannot parse") // the URL may hold a password
		}
		cfg = mysql.NewConfig()
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		cfg.Net, cfg.Addr = "tcp", u.Host
		if u.Port() == "" {
			cfg.Addr = u.Host + ":3306"
		}
		cfg.DBName = strings.TrimPrefix(u.Path, "/")
		for k, v := range u.Query() {
			if cfg.Params == nil {
				cfg.Params = map[string]string{}
			}
			cfg.Params[k] = v[0]
		}
	} else {
		var err error
		if cfg, err = mysql.ParseDSN(raw); err != nil {
			return nil, errors.New("database url: not a mysql:// URL or MySQL DSN")
		}
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = true
	cfg.ClientFoundRows = true
	cfg.Collation = "utf8mb4_bin"
	return cfg, nil
}

// Ping checks the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// translate maps driver errors to the service's sentinels, keeping the original in the chain.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%w: %w", kernel.ErrNotFound, err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %w", kernel.ErrConflict, err)
	}
	return err
}

package repository

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"gorm.io/gorm"
)

// The schema's history is one folder of goose SQL files per dialect, with the same version numbers
// and names in both: migrations/mysql/NNNNN_name.sql and migrations/sqlite/NNNNN_name.sql. Add a
// step by adding a file with the next number to both folders; never edit a released file.
//
// What a failed step leaves behind differs by dialect. goose runs each file in a transaction and
// records its version in the same transaction. On SQLite DDL is transactional, so a step is applied
// whole or not at all. On MySQL/MariaDB every DDL statement commits on its own, so the transaction
// protects only the version row, and the MySQL files are written so that a step that stopped
// halfway can be run again: new tables are created with IF NOT EXISTS and carry their indexes
// inline; changes to an existing table are a single ALTER TABLE statement, which the server applies
// whole, placed last, and at most one per file (a second table's change goes in a step of its own);
// data statements are written to be repeatable. What MySQL cannot give: if the process dies after
// that ALTER TABLE and before the version row is written, the rerun fails on the ALTER TABLE and the
// version has to be recorded by hand.
//
//go:embed migrations/mysql/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// legacyTable is where the runner before goose recorded applied versions (version, name,
// applied_at). It is read once per Migrate to adopt such a database and is never written.
const legacyTable = "schema_migrations"

// Migrate applies every migration the database does not have yet, in order, and reports how many it
// applied. Running it again is a no-op. A database migrated by the runner before goose is adopted:
// the versions in its schema_migrations table are recorded in goose's table without running them
// again. On MySQL a named lock keeps two processes from migrating at once.
func Migrate(ctx context.Context, db *gorm.DB, dialect Dialect) (int, error) {
	fsys, err := fs.Sub(migrationFiles, "migrations/"+string(dialect))
	if err != nil {
		return 0, err
	}
	return migrateFS(ctx, db, dialect, fsys)
}

// migrateFS is Migrate with the migration files taken from fsys.
func migrateFS(ctx context.Context, db *gorm.DB, dialect Dialect, fsys fs.FS) (int, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return 0, err
	}
	gd := goose.DialectSQLite3
	if dialect == MySQL {
		gd = goose.DialectMySQL
		unlock, err := lockMySQL(ctx, sqlDB)
		if err != nil {
			return 0, err
		}
		defer unlock()
	}
	store, err := database.NewStore(gd, goose.DefaultTablename) // the table the provider uses
	if err != nil {
		return 0, err
	}
	if err := adoptLegacy(ctx, sqlDB, store, dialect); err != nil {
		return 0, fmt.Errorf("migrate: adopt %s: %w", legacyTable, err)
	}
	provider, err := goose.NewProvider(gd, sqlDB, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	results, err := provider.Up(ctx)
	if partial, ok := errors.AsType[*goose.PartialError](err); ok {
		return len(partial.Applied), fmt.Errorf("migrate: version %d (%s): %w",
			partial.Failed.Source.Version, partial.Failed.Source.Path, partial.Err)
	}
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(results), nil
}

// lockMySQL takes a named lock on a connection of its own and returns the function that releases
// it. The lock lives as long as that connection, so a process that dies while migrating does not
// leave it held. Lock names are global to the server, so the name carries the database's name:
// databases sharing a server (tests run many at once) migrate without waiting for each other. goose's own MySQL locker keeps a lease row in a table instead,
// and its sessions do not cover the adoption step, so the lock is taken here around both.
// migrateLockName is the SQL expression naming the migration lock of the current database. MySQL
// caps lock names at 64 characters; two databases whose names share the first 50 would only queue.
const migrateLockName = "CONCAT('beian_migrate.', LEFT(COALESCE(DATABASE(), ''), 50))"

func lockMySQL(ctx context.Context, sqlDB *sql.DB) (func(), error) {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect: %w", err)
	}
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+migrateLockName+", 120)").Scan(&got); err != nil || got.Int64 != 1 {
		conn.Close()
		if err == nil {
			err = errors.New("another process held it for 120s")
		}
		return nil, fmt.Errorf("migrate: lock not acquired: %w", err)
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK("+migrateLockName+")")
		conn.Close()
	}, nil
}

// adoptLegacy records in goose's table every version the runner before goose applied and goose
// does not know yet. It is safe to run again after a partial run: versions already recorded are
// skipped, so a database is adopted once whatever happens in between.
func adoptLegacy(ctx context.Context, sqlDB *sql.DB, store database.Store, dialect Dialect) error {
	legacy, err := tableExists(ctx, sqlDB, dialect, legacyTable)
	if err != nil || !legacy {
		return err
	}
	var versions []int64
	rows, err := sqlDB.QueryContext(ctx, "SELECT version FROM "+legacyTable+" ORDER BY version")
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		versions = append(versions, v)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exists, err := tableExists(ctx, tx, dialect, store.Tablename())
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	if exists {
		recorded, err := store.ListMigrations(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range recorded {
			known[r.Version] = true
		}
	} else if err := store.CreateVersionTable(ctx, tx); err != nil {
		return err
	}
	versions = append([]int64{0}, versions...) // goose starts its table with version 0
	for _, v := range versions {
		if known[v] {
			continue
		}
		if err := store.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("record version %d: %w", v, err)
		}
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func tableExists(ctx context.Context, q querier, dialect Dialect, name string) (bool, error) {
	query := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if dialect == MySQL {
		query = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?"
	}
	var n int
	if err := q.QueryRowContext(ctx, query, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

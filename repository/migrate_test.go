package repository_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite testdata/schema.txt from the migrated test database")

// latestVersion is the newest migration file's version.
var latestVersion = newestVersion()

func TestBothDialectsHaveTheSameMigrationFiles(t *testing.T) {
	t.Parallel()
	mysql, err := fs.Glob(repository.MigrationFiles(repository.MySQL), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sqlite, err := fs.Glob(repository.MigrationFiles(repository.SQLite), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mysql, sqlite) || len(mysql) != latestVersion {
		t.Fatalf("migration files differ or are not numbered 1..n:\nmysql  %v\nsqlite %v", mysql, sqlite)
	}
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t) // already migrated once
	n, err := repository.Migrate(context.Background(), db.Gorm, db.Dialect)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d migrations, err %v; want 0, nil", n, err)
	}
	if got := gooseVersions(t, sqlOf(t, db)); !slices.Equal(got, versionsUpTo(latestVersion)) {
		t.Fatalf("goose recorded versions %v, want 0..%d", got, latestVersion)
	}
}

func TestMigrateAdoptsTheOldRunnersDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		legacyUpTo  int
		wantApplied int
	}{
		{"fully migrated", legacyLatest, latestVersion - legacyLatest},
		{"four steps behind", 3, latestVersion - 3},
		{"one step in", 1, latestVersion - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.Empty(t)
			sqlDB := sqlOf(t, db)
			migrateLegacy(t, sqlDB, db.Dialect, tt.legacyUpTo)
			if _, err := sqlDB.ExecContext(ctx, "INSERT INTO users (phone, role, password_hash, created_at, updated_at) "+
				"VALUES ('13800000001', 'admin', 'h', '2026-01-02 03:04:05', '2026-01-02 03:04:05')"); err != nil {
				t.Fatalf("seed user: %v", err)
			}

			n, err := repository.Migrate(ctx, db.Gorm, db.Dialect)
			if err != nil || n != tt.wantApplied {
				t.Fatalf("Migrate applied %d, err %v; want %d, nil", n, err, tt.wantApplied)
			}
			var phone, role string
			if err := sqlDB.QueryRowContext(ctx, "SELECT phone, role FROM users").Scan(&phone, &role); err != nil ||
				phone != "13800000001" || role != "admin" {
				t.Fatalf("user after adoption: %q %q, err %v", phone, role, err)
			}
			if got := gooseVersions(t, sqlDB); !slices.Equal(got, versionsUpTo(latestVersion)) {
				t.Fatalf("goose recorded versions %v, want 0..%d once each", got, latestVersion)
			}
			if n, err := repository.Migrate(ctx, db.Gorm, db.Dialect); err != nil || n != 0 {
				t.Fatalf("second Migrate applied %d, err %v; want 0, nil", n, err)
			}
		})
	}
}

// TestMigrationFilesMatchTheOldRunner compares, column by column and index by index, the schema the
// SQL files build with the one the runner before goose built on the same dialect.
func TestMigrationFilesMatchTheOldRunner(t *testing.T) {
	t.Parallel()
	legacy := dbtest.Empty(t)
	migrateLegacy(t, sqlOf(t, legacy), legacy.Dialect, legacyLatest)
	current := dbtest.Empty(t)
	if _, err := repository.MigrateFS(context.Background(), current.Gorm, current.Dialect,
		migrationFilesUpTo(t, current.Dialect, legacyLatest)); err != nil {
		t.Fatal(err)
	}
	want, got := describeSchema(t, sqlOf(t, legacy), legacy.Dialect), describeSchema(t, sqlOf(t, current), current.Dialect)
	if !slices.Equal(got, want) {
		t.Fatalf("schema differs from the old runner's\n%s", lineDiff(want, got))
	}
}

// TestSchemaParity checks the migrated schema's tables, columns and named indexes against
// testdata/schema.txt. The MySQL run and the SQLite run compare with the same file, so together they
// show that both dialects' migrations build the same shape. After adding a migration, regenerate it
// with go test ./repository -run TestSchemaParity -update-schema and review the diff.
func TestSchemaParity(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	got := schemaShape(describeSchema(t, sqlOf(t, db), db.Dialect))
	path := filepath.Join("testdata", "schema.txt")
	if *updateSchema {
		if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if !slices.Equal(got, want) {
		t.Fatalf("%s schema differs from %s\n%s", db.Dialect, path, lineDiff(want, got))
	}
}

func sqlOf(t *testing.T, db dbtest.DB) *sql.DB {
	t.Helper()
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	return sqlDB
}

func versionsUpTo(n int) []int64 {
	var vs []int64
	for v := range n + 1 {
		vs = append(vs, int64(v))
	}
	return vs
}

func newestVersion() int {
	names, err := fs.Glob(repository.MigrationFiles(repository.SQLite), "*.sql")
	if err != nil || len(names) == 0 {
		panic(fmt.Sprintf("no migration files: %v", err))
	}
	v, err := strconv.Atoi(strings.SplitN(names[len(names)-1], "_", 2)[0])
	if err != nil {
		panic(err)
	}
	return v
}

// migrationFilesUpTo copies dialect d's migration files with versions up to max.
func migrationFilesUpTo(t *testing.T, d repository.Dialect, max int) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	names, err := fs.Glob(repository.MigrationFiles(d), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names[:max] {
		body, err := fs.ReadFile(repository.MigrationFiles(d), name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: body}
	}
	return files
}

func gooseVersions(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query("SELECT version_id FROM goose_db_version WHERE is_applied ORDER BY version_id")
	if err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	defer rows.Close()
	var vs []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	return vs
}

func lineDiff(want, got []string) string {
	var b strings.Builder
	for _, l := range want {
		if !slices.Contains(got, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

func TestMigrateConcurrentlyAppliesEachStepOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		legacyUpTo int
	}{
		{"empty database", 0},
		{"old runner's database", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Races(t)
			db := dbtest.Empty(t)
			if tt.legacyUpTo > 0 {
				migrateLegacy(t, sqlOf(t, db), db.Dialect, tt.legacyUpTo)
			}
			const workers = 6
			applied := make(chan int, workers)
			errs := make(chan error, workers)
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					n, err := repository.Migrate(context.Background(), db.Gorm, db.Dialect)
					applied <- n
					errs <- err
				})
			}
			wg.Wait()
			close(applied)
			close(errs)
			total := 0
			for n := range applied {
				total += n
			}
			for err := range errs {
				if err != nil {
					t.Errorf("concurrent Migrate: %v", err)
				}
			}
			if want := latestVersion - tt.legacyUpTo; total != want {
				t.Errorf("concurrent Migrate calls applied %d steps in all, want %d", total, want)
			}
			if got := gooseVersions(t, sqlOf(t, db)); !slices.Equal(got, versionsUpTo(latestVersion)) {
				t.Fatalf("goose recorded versions %v, want 0..%d once each", got, latestVersion)
			}
		})
	}
}

// TestFailedStepCanBeRunAgain adds a step whose last statement fails, then the corrected step. On
// SQLite the failed step leaves nothing behind. On MySQL the table the step created stays (DDL
// commits on its own), the ALTER TABLE that failed left no trace, and the corrected step runs
// over the leftover because the files create tables with IF NOT EXISTS.
func TestFailedStepCanBeRunAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Empty(t)
	sqlDB := sqlOf(t, db)
	step := "CREATE TABLE probe_a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n" +
		"ALTER TABLE orders ADD COLUMN probe INT NULL;\n" +
		"CREATE INDEX ix_probe ON orders (%s);\n"
	if db.Dialect == repository.MySQL {
		step = "CREATE TABLE IF NOT EXISTS probe_a (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n" +
			"ALTER TABLE orders ADD COLUMN probe INT NULL, ADD INDEX ix_probe (%s);\n"
	}
	withStep := func(column string) fs.FS {
		files := migrationFilesUpTo(t, db.Dialect, latestVersion)
		next := fmt.Sprintf("%05d_probe.sql", latestVersion+1)
		files[next] = &fstest.MapFile{Data: []byte("-- +goose Up\n" + fmt.Sprintf(step, column))}
		return files
	}
	works := func(q string) bool { _, err := sqlDB.ExecContext(ctx, q); return err == nil }

	if n, err := repository.MigrateFS(ctx, db.Gorm, db.Dialect, withStep("no_such_column")); err == nil || n != latestVersion {
		t.Fatalf("broken step: applied %d, err %v; want %d and an error", n, err, latestVersion)
	}
	if works("SELECT probe FROM orders") {
		t.Error("the failed step's ALTER TABLE left its column behind")
	}
	if got, want := works("SELECT id FROM probe_a"), db.Dialect == repository.MySQL; got != want {
		t.Errorf("table of the failed step exists: %t, want %t on %s", got, want, db.Dialect)
	}
	if got := gooseVersions(t, sqlDB); !slices.Equal(got, versionsUpTo(latestVersion)) {
		t.Fatalf("versions after the failed step %v, want 0..%d", got, latestVersion)
	}

	if n, err := repository.MigrateFS(ctx, db.Gorm, db.Dialect, withStep("probe")); err != nil || n != 1 {
		t.Fatalf("corrected step: applied %d, err %v; want 1, nil", n, err)
	}
	if !works("SELECT probe FROM orders") || !works("SELECT id FROM probe_a") {
		t.Error("the corrected step did not leave its table and column")
	}
}

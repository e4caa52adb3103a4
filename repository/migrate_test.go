package repository_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite testdata/schema.txt from the migrated test database")

// latestVersion is the newest migration file's version; raise it with each new file.
const latestVersion = 7

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
		{"fully migrated", latestVersion, 0},
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
	migrateLegacy(t, sqlOf(t, legacy), legacy.Dialect, latestVersion)
	current := dbtest.New(t)
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

func versionsUpTo(n int64) []int64 {
	var vs []int64
	for v := range n + 1 {
		vs = append(vs, v)
	}
	return vs
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

package repository_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/repository"
)

// bookkeeping tables belong to the migration runners and the SQLite engine, not to the schema.
var bookkeeping = []string{"schema_migrations", "goose_db_version", "sqlite_sequence"}

// describeSchema lists the database's tables, columns, indexes and foreign keys as sorted lines of
// the form "kind name | detail". The detail (column type, nullability, default) is
// dialect-specific; schemaShape drops it.
func describeSchema(t *testing.T, db *sql.DB, d repository.Dialect) []string {
	t.Helper()
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	if d == repository.MySQL {
		for _, r := range query(t, db, `SELECT table_name, column_name, column_type, is_nullable, COALESCE(column_default, 'none')
			FROM information_schema.columns WHERE table_schema = DATABASE()`) {
			add("column %s.%s | %s null=%s default=%s", r[0], r[1], r[2], r[3], r[4])
		}
		for _, r := range query(t, db, `SELECT table_name, index_name, non_unique, GROUP_CONCAT(column_name ORDER BY seq_in_index)
			FROM information_schema.statistics WHERE table_schema = DATABASE() GROUP BY table_name, index_name, non_unique`) {
			add("index %s.%s unique=%t (%s) |", r[0], r[1], r[2] == "0", r[3])
		}
		for _, r := range query(t, db, `SELECT table_name, column_name, referenced_table_name, referenced_column_name
			FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL`) {
			add("fk %s.%s -> %s.%s |", r[0], r[1], r[2], r[3])
		}
	} else {
		for _, tbl := range query(t, db, `SELECT name FROM sqlite_master WHERE type = 'table'`) {
			name := tbl[0]
			for _, r := range query(t, db, `SELECT name, type, "notnull", COALESCE(dflt_value, 'none') FROM pragma_table_info(?)`, name) {
				add("column %s.%s | %s notnull=%s default=%s", name, r[0], r[1], r[2], r[3])
			}
			for _, ix := range query(t, db, `SELECT name, "unique" FROM pragma_index_list(?)`, name) {
				cols := query(t, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix[0])
				names := make([]string, len(cols))
				for i, c := range cols {
					names[i] = c[0]
				}
				add("index %s.%s unique=%t (%s) |", name, ix[0], ix[1] == "1", strings.Join(names, ","))
			}
			for _, r := range query(t, db, `SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)`, name) {
				add("fk %s.%s -> %s.%s |", name, r[0], r[1], r[2])
			}
		}
	}
	lines = slices.DeleteFunc(lines, func(l string) bool {
		table := strings.SplitN(strings.Fields(l)[1], ".", 2)[0]
		return slices.Contains(bookkeeping, table)
	})
	slices.Sort(lines)
	return lines
}

// schemaShape keeps what both dialects must agree on: column names, the named ix_/ux_ indexes with
// their columns and uniqueness, and foreign keys. Primary keys and the indexes an engine creates on
// its own are left out.
func schemaShape(described []string) []string {
	var shape []string
	for _, l := range described {
		l = strings.TrimSpace(strings.SplitN(l, "|", 2)[0])
		if strings.HasPrefix(l, "index ") {
			name := strings.SplitN(strings.Fields(l)[1], ".", 2)[1]
			if !strings.HasPrefix(name, "ix_") && !strings.HasPrefix(name, "ux_") {
				continue
			}
		}
		shape = append(shape, l)
	}
	return shape
}

func query(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

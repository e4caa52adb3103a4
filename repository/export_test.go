package repository

import (
	"context"
	"io/fs"

	"gorm.io/gorm"
)

// NextInSequence exposes nextInSequence to the external tests of this package.
func NextInSequence(tx *gorm.DB, name string) (int64, error) { return nextInSequence(tx, name) }

// MigrateFS exposes migrateFS, Migrate with the migration files taken from fsys.
func MigrateFS(ctx context.Context, db *gorm.DB, d Dialect, fsys fs.FS) (int, error) {
	return migrateFS(ctx, db, d, fsys)
}

// MigrationFiles exposes the embedded migration files of dialect d.
func MigrationFiles(d Dialect) fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations/"+string(d))
	if err != nil {
		panic(err)
	}
	return sub
}

// Transact exposes transact to the external tests of this package.
var Transact = transact

// OutboxQueued is how many claims and outcomes wait for r's next batches.
func OutboxQueued(r *OutboxRepo) (claims, outcomes int) {
	return r.claims.queued(), r.outcomes.queued()
}

// SerialOutboxBatches makes r run one claim batch and one outcome batch at a time, so that a
// test holding a batch knows that every call after it queues for the next.
func SerialOutboxBatches(r *OutboxRepo) {
	r.claims.maxInFlight, r.outcomes.maxInFlight = 1, 1
}

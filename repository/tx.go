package repository

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// txAttempts bounds how often transact runs a transaction that lost to a concurrent one.
const txAttempts = 5

// transact runs fn in a transaction on db. When MySQL aborts the transaction because it lost a deadlock
// or a snapshot conflict to a concurrent one, the whole transaction is rolled back by the server and
// transact runs it again from the start, up to txAttempts times with a short jittered pause; any other
// error, or the last attempt's, is returned as is. fn may therefore run more than once: it must reset
// whatever it records outside the transaction (results, collected notes) at its start. Every
// transaction in this package goes through here (a test checks it), so the retry policy is in one place.
// opts (at most one) sets the isolation level, as database/sql's BeginTx takes it.
func transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error, opts ...*sql.TxOptions) error {
	for attempt := 1; ; attempt++ {
		err := db.WithContext(ctx).Transaction(fn, opts...)
		if err == nil || attempt == txAttempts || !lostToConcurrency(err) || !pauseBeforeRetry(ctx, attempt) {
			return err
		}
	}
}

// execRetrying runs one autocommit statement, a transaction of its own, with transact's retry
// policy: a statement MySQL rolled back because it lost a deadlock is run again.
func execRetrying(ctx context.Context, db *gorm.DB, query string, args ...any) (sql.Result, error) {
	pool := db.Statement.ConnPool
	for attempt := 1; ; attempt++ {
		res, err := pool.ExecContext(ctx, query, args...)
		if err == nil || attempt == txAttempts || !lostToConcurrency(err) || !pauseBeforeRetry(ctx, attempt) {
			return res, err
		}
	}
}

// pauseBeforeRetry waits a short jittered pause growing with attempt, and reports false when ctx
// ended first.
func pauseBeforeRetry(ctx context.Context, attempt int) bool {
	pause := time.Duration(1<<attempt)*time.Millisecond + rand.N(5*time.Millisecond)
	timer := time.NewTimer(pause)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// lostToConcurrency reports whether err is MySQL/MariaDB rolling a transaction back because of another
// transaction: a deadlock (1213), or MariaDB's "record has changed since last read" (1020), which
// innodb_snapshot_isolation raises. The server has rolled the transaction back, so it is safe to rerun.
func lostToConcurrency(err error) bool {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	return me.Number == 1213 || me.Number == 1020
}

// readCommitted is the option that runs a transaction at READ COMMITTED on MySQL, for transactions
// whose own row locks already serialise what must be serialised and which would otherwise deadlock
// on InnoDB's gap locks at REPEATABLE READ. On SQLite, which serialises writers, it is nothing.
func readCommitted(db *gorm.DB) []*sql.TxOptions {
	if db.Name() != "mysql" {
		return nil
	}
	return []*sql.TxOptions{{Isolation: sql.LevelReadCommitted}}
}

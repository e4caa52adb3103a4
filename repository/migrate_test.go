package repository_test

import (
	"context"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t) // already migrated once
	n, err := repository.Migrate(context.Background(), db.Gorm, db.Dialect)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d migrations, err %v; want 0, nil", n, err)
	}
}

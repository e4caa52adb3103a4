package filing

import (
	"context"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"sync"
	"time"
)

// holders answers UserByID with a phone per account id.
type holders map[int64]string

func (h holders) UserByID(_ context.Context, id int64) (account.User, error) {
	if p, ok := h[id]; ok {
		return account.User{ID: id, Phone: p}, nil
	}
	return account.User{}, kernel.ErrNotFound
}

// recordedDeadlines remembers the SMS deadlines scheduled.
type recordedDeadlines struct {
	mu  sync.Mutex
	ids []int64
}

func (r *recordedDeadlines) ScheduleSMSDeadline(_ context.Context, orderID int64, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, orderID)
	return nil
}

// withTestTransfers wires transfers with account 1 holding 13900139001.
func withTestTransfers(u *Orders) (*Orders, *recordedDeadlines) {
	d := &recordedDeadlines{}
	return u.WithTransfers(TransferSetup{SMSKey: []byte("test-key"), Accounts: holders{1: "13900139001"}, Deadlines: d}), d
}

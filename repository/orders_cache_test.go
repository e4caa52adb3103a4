package repository_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// TestOrderReadsNeverServeAStaleProposal: OrderRepo keeps opened proposals in memory, keyed by
// the sealed bytes. A caller changing what it read does not change the next read; a change
// written through another OrderRepo (another replica, with a cache of its own) is seen at once;
// and bytes changed behind the repositories' backs fail to open instead of reading as the
// proposal cached before.
func TestOrderReadsNeverServeAStaleProposal(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 1)
	ctx := context.Background()
	other := repository.NewOrderRepo(f.db, newCipher(t))
	p := filing.Proposal{Subject: companySubject("91440300MA5XXXXXX1"), Services: []filing.ServiceInfo{site(1, "example.cn")},
		NextServiceID: 2, Agreements: []string{}}
	o, err := f.orders.CreateOrder(ctx, filing.Order{AccountID: f.users[0], Type: filing.OrderNewFiling, Status: filing.StatusDraft,
		Proposal: p, CreatedAt: kernel.SystemClock(), UpdatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	read := func(r *repository.OrderRepo) filing.Proposal {
		t.Helper()
		got, err := r.Order(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Proposal
	}

	first := read(f.orders)
	if !reflect.DeepEqual(first, p) {
		t.Fatalf("first read: %+v, want %+v", first, p)
	}
	first.Subject.Name = "改过的名称"
	first.Services[0].Domains[0] = "changed.cn"
	first.Agreements = append(first.Agreements, "changed")
	if again := read(f.orders); !reflect.DeepEqual(again, p) {
		t.Fatalf("read after the caller changed its copy: %+v, want %+v", again, p)
	}

	if _, err := other.Update(ctx, o.ID, func(o *filing.Order) error {
		o.Proposal.Services[0].Domains = []string{"example.net"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := read(f.orders); len(got.Services) != 1 || !reflect.DeepEqual(got.Services[0].Domains, []string{"example.net"}) {
		t.Fatalf("read after another repository's update: %+v, want the new domain", got.Services)
	}

	if err := f.db.Exec("UPDATE orders SET proposal_enc = ? WHERE id = ?", []byte("not a sealed proposal"), o.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.orders.Order(ctx, o.ID); err == nil {
		t.Fatal("an order whose sealed proposal was replaced by garbage read without error")
	}
}

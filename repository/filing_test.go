package repository_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"gorm.io/gorm"
)

type filingFixture struct {
	db      *gorm.DB
	orders  *repository.OrderRepo
	filings *repository.FilingRepo
	users   []int64
}

func newFilingFixture(t *testing.T, accounts int) filingFixture {
	t.Helper()
	db := dbtest.New(t)
	c := newCipher(t)
	f := filingFixture{db: db.Gorm, orders: repository.NewOrderRepo(db.Gorm, c), filings: repository.NewFilingRepo(db.Gorm, c)}
	users := repository.NewUserRepo(db.Gorm)
	for i := range accounts {
		u, err := users.CreateUser(context.Background(), account.User{Phone: fmt.Sprintf("1380013820%d", i),
			Role: account.RoleApplicant, CreatedAt: kernel.SystemClock()})
		if err != nil {
			t.Fatal(err)
		}
		f.users = append(f.users, u.ID)
	}
	return f
}

func companySubject(cert string) filing.SubjectInfo {
	return filing.SubjectInfo{Nature: 4, NatureLabel: "企业", CertType: 1, CertNumber: cert, Name: "示例科技有限公司", Province: "44",
		Principal: filing.Person{Name: "张三", DocType: 2, DocNumber: "11010519491231002X", Mobile: "13800138000"}}
}

func site(id int64, domain string) filing.ServiceInfo {
	return filing.ServiceInfo{ID: id, Kind: filing.KindWebsite, Name: "示例网站", Domains: []string{domain}}
}

// approved is an approved order of typ for account, as the bureau's approval leaves it.
func approved(typ filing.OrderType, account, subjectID int64, p filing.Proposal) filing.Order {
	now := kernel.SystemClock()
	return filing.Order{AccountID: account, Type: typ, Status: filing.StatusApproved, SubjectID: subjectID, Proposal: p,
		CreatedAt: now, UpdatedAt: now}
}

func TestOneInFlightOrderPerAccountInTheDatabase(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 1)
	ctx := context.Background()
	draft := filing.Order{AccountID: f.users[0], Type: filing.OrderNewFiling, Status: filing.StatusDraft,
		CreatedAt: kernel.SystemClock(), UpdatedAt: kernel.SystemClock()}
	first, err := f.orders.CreateOrder(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.orders.CreateOrder(ctx, draft); !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("second in-flight order: %v", err)
	}
	if _, err := f.orders.Update(ctx, first.ID, func(o *filing.Order) error {
		return o.Transition(filing.EventAbandon, filing.Actor{Kind: filing.ActorApplicant}, kernel.SystemClock())
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.orders.CreateOrder(ctx, draft); err != nil {
		t.Fatalf("order after abandoning: %v", err)
	}
}

// TestUpdateLosesNoTransition races submit and withdraw on one order: every successful update
// wrote exactly one event and the versions count them.
func TestUpdateLosesNoTransition(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 1)
	ctx := context.Background()
	o, err := f.orders.CreateOrder(ctx, filing.Order{AccountID: f.users[0], Type: filing.OrderNewFiling,
		Status: filing.StatusDraft, CreatedAt: kernel.SystemClock(), UpdatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 30 {
		wg.Go(func() {
			ev := []filing.OrderEventName{filing.EventSubmit, filing.EventWithdraw}[i%2]
			_, err := f.orders.Update(ctx, o.ID, func(o *filing.Order) error {
				return o.Transition(ev, filing.Actor{Kind: filing.ActorApplicant}, kernel.SystemClock())
			})
			switch {
			case err == nil:
				mu.Lock()
				ok++
				mu.Unlock()
			case !errors.Is(err, filing.ErrTransitionNotAllowed) && !errors.Is(err, kernel.ErrConflict):
				t.Errorf("update: %v", err)
			}
		})
	}
	wg.Wait()
	events, err := f.orders.OrderEvents(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	final, _ := f.orders.Order(ctx, o.ID)
	if len(events) != ok || final.Version != 1+ok {
		t.Fatalf("%d successful updates, %d events, version %d", ok, len(events), final.Version)
	}
	for i := 1; i < len(events); i++ {
		if events[i].From != events[i-1].To {
			t.Fatalf("event %d starts at %s after %s", i, events[i].From, events[i-1].To)
		}
	}
}

// mustNil fails the test on err.
func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fileCompany files a Guangdong company with the given websites for account through an approved
// new_filing and returns its subject and live services.
func fileCompany(t *testing.T, f filingFixture, account int64, cert string, domains ...string) (filing.Subject, []filing.FiledService) {
	t.Helper()
	ctx := context.Background()
	var svcs []filing.ServiceInfo
	for i, d := range domains {
		svcs = append(svcs, site(int64(i+1), d))
	}
	mustNil(t, f.filings.ApplyApproved(ctx, approved(filing.OrderNewFiling, account, 0, filing.Proposal{Subject: companySubject(cert), Services: svcs})))
	subj, err := f.filings.SubjectOf(ctx, account)
	mustNil(t, err)
	live, err := f.filings.LiveServices(ctx, subj.ID)
	mustNil(t, err)
	return subj, live
}

// TestApplyApprovedKeepsOneLiveSubject: the database keeps one live subject per account and per
// certificate, and only approved orders are applied.
func TestApplyApprovedKeepsOneLiveSubject(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 2)
	ctx := context.Background()
	a, b := f.users[0], f.users[1]
	subj, svcs := fileCompany(t, f, a, "91440101MA5CJQ4N59", "example.cn", "example.com.cn")
	if subj.Info.CertNumber != "91440101MA5CJQ4N59" || len(svcs) != 2 || svcs[0].Info.Domains[0] != "example.cn" {
		t.Fatalf("filed: %+v %+v", subj, svcs)
	}
	if err := f.filings.ApplyApproved(ctx, approved(filing.OrderNewFiling, a, 0, filing.Proposal{Subject: companySubject("913502000728319549")})); !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("second subject for the account: %v", err)
	}
	if err := f.filings.ApplyApproved(ctx, approved(filing.OrderClaim, b, 0, filing.Proposal{Subject: companySubject("91440101MA5CJQ4N59")})); !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("the same certificate for another account: %v", err)
	}
	if err := f.filings.ApplyApproved(ctx, filing.Order{Type: filing.OrderNewFiling, Status: filing.StatusPendingReview}); !errors.Is(err, filing.ErrTransitionNotAllowed) {
		t.Fatalf("applying an unapproved order: %v", err)
	}
}

// TestApplyApprovedChanges: change_both, migrate, cancel_service, transfer and cancel_subject
// applied to the filed records.
func TestApplyApprovedChanges(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 3)
	ctx := context.Background()
	a, b, c := f.users[0], f.users[1], f.users[2]
	apply := func(o filing.Order) error { return f.filings.ApplyApproved(ctx, o) }
	subjA, svcs := fileCompany(t, f, a, "91440101MA5CJQ4N59", "example.cn", "example.com.cn")
	changed := site(1, "example.cn")
	changed.Name, changed.FiledID = "示例新网站", svcs[0].ID
	subj := companySubject("91440101MA5CJQ4N59")
	subj.ContactAddress = "新地址"
	mustNil(t, apply(approved(filing.OrderChangeBoth, a, subjA.ID, filing.Proposal{Subject: subj, Services: []filing.ServiceInfo{changed}})))
	got, _ := f.filings.FiledService(ctx, svcs[0].ID)
	subjA, _ = f.filings.SubjectOf(ctx, a)
	if got.Info.Name != "示例新网站" || subjA.Info.ContactAddress != "新地址" {
		t.Fatalf("after change_both: %+v %+v", got.Info, subjA.Info)
	}

	subjC, _ := fileCompany(t, f, c, "913502000728319549")
	moved := site(1, "example.com.cn")
	moved.FiledID = svcs[1].ID
	mustNil(t, apply(approved(filing.OrderMigrate, a, subjA.ID, filing.Proposal{Subject: subjA.Info,
		Services: []filing.ServiceInfo{moved}, TargetAccountID: c, TargetSubjectID: subjC.ID})))
	if live, _ := f.filings.LiveServices(ctx, subjC.ID); len(live) != 1 || live[0].AccountID != c {
		t.Fatalf("after migrate the target has %+v", live)
	}

	cancel := site(1, "example.cn")
	cancel.FiledID = svcs[0].ID
	mustNil(t, apply(approved(filing.OrderCancelService, a, subjA.ID, filing.Proposal{Subject: subjA.Info, Services: []filing.ServiceInfo{cancel}})))
	if live, _ := f.filings.LiveServices(ctx, subjA.ID); len(live) != 0 {
		t.Fatalf("a shell should remain: %+v", live)
	}
	if err := apply(approved(filing.OrderCancelService, a, subjA.ID, filing.Proposal{Services: []filing.ServiceInfo{cancel}})); !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("cancelling a cancelled service: %v", err)
	}

	mustNil(t, apply(approved(filing.OrderTransfer, a, subjA.ID, filing.Proposal{Subject: subjA.Info, TargetAccountID: b})))
	if s, err := f.filings.SubjectOf(ctx, b); err != nil || s.ID != subjA.ID {
		t.Fatalf("after transfer: %+v %v", s, err)
	}
	if _, err := f.filings.SubjectOf(ctx, a); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("the source still has a subject: %v", err)
	}
	mustNil(t, apply(approved(filing.OrderCancelSubject, b, subjA.ID, filing.Proposal{Subject: subjA.Info})))
	if _, err := f.filings.SubjectOf(ctx, b); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("after cancel_subject: %v", err)
	}
	fileCompany(t, f, b, "91440101MA5CJQ4N59") // the certificate is free again
}

// TestMaterialChangesGuardTheOrder: a material is added or removed only while its order is
// editable, and each change bumps the order's version so a racing submission sees it.
func TestMaterialChangesGuardTheOrder(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 1)
	ctx := context.Background()
	db := f.orders
	materials := repository.NewMaterialRepo(f.db)
	o, err := db.CreateOrder(ctx, filing.Order{AccountID: f.users[0], Type: filing.OrderNewFiling,
		Status: filing.StatusDraft, CreatedAt: kernel.SystemClock(), UpdatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	m := filing.Material{OrderID: o.ID, AccountID: f.users[0], Key: filing.MaterialKey{Kind: filing.MaterialCommitmentLetter},
		MediaType: "image/png", SHA256: "00", BlobKey: "materials/x", CreatedAt: kernel.SystemClock()}
	first, err := materials.CreateMaterial(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	second, err := materials.CreateMaterial(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := materials.DeleteMaterial(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Order(ctx, o.ID); got.Version != 4 {
		t.Fatalf("version %d after two uploads and a delete, want 4", got.Version)
	}
	if _, err := db.Update(ctx, o.ID, func(o *filing.Order) error {
		return o.Transition(filing.EventSubmit, filing.Actor{Kind: filing.ActorApplicant}, kernel.SystemClock())
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := materials.CreateMaterial(ctx, m); !errors.Is(err, filing.ErrOrderNotEditable) {
		t.Fatalf("upload to a submitted order: %v", err)
	}
	if err := materials.DeleteMaterial(ctx, first.ID); !errors.Is(err, filing.ErrOrderNotEditable) {
		t.Fatalf("delete from a submitted order: %v", err)
	}
	if list, _ := materials.OrderMaterials(ctx, o.ID); len(list) != 1 {
		t.Fatalf("materials: %+v", list)
	}
}

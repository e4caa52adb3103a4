package main

import (
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/transfer"
)

// wireFlows completes the account-to-account flows on the filing use case: a submitted transfer
// starts its SMS check (code to the account holder, 24-hour deadline task); a migration needs the
// target account's authorization (granted by SMS code) before it is submitted; and the post-filing
// checks with their deadline tasks.
func (a *app) wireFlows(cipher *repository.Cipher, users *repository.UserRepo, now kernel.Clock) {
	grants := repository.NewAuthorizationRepo(a.db, cipher, a.enqueuer)
	a.grants = transfer.NewAuthorizations(grants, repository.NewOrderRepo(a.db, cipher), cipher.DeriveKey("authorization"), now)
	a.orders = a.orders.WithTransfers(filing.TransferSetup{SMSKey: cipher.DeriveKey("sms-check"), Accounts: users,
		Deadlines: jobs.NewDeadlineScheduler(a.queue), Grants: grants})
	a.inspections = inspection.NewInspections(repository.NewInspectionRepo(a.db, cipher, a.enqueuer),
		repository.NewOrderRepo(a.db, cipher), jobs.NewDeadlineScheduler(a.queue), now)
}

package main

import (
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service"
)

// wireFlows completes the account-to-account flows on the filing use case: a submitted transfer
// starts its SMS check (code to the account holder, 24-hour deadline task); a migration needs the
// target account's authorization (granted by SMS code) before it is submitted; and the post-filing
// checks with their deadline tasks.
func (a *app) wireFlows(cipher *repository.Cipher, users *repository.UserRepo, now service.Clock) {
	grants := repository.NewAuthorizationRepo(a.db, cipher, a.enqueuer)
	a.grants = service.NewAuthorizations(grants, repository.NewOrderRepo(a.db, cipher), cipher.DeriveKey("authorization"), now)
	a.orders = a.orders.WithTransfers(service.TransferSetup{SMSKey: cipher.DeriveKey("sms-check"), Accounts: users,
		Deadlines: jobs.NewDeadlineScheduler(a.queue), Grants: grants})
	a.inspections = service.NewInspections(repository.NewInspectionRepo(a.db, cipher, a.enqueuer),
		repository.NewOrderRepo(a.db, cipher), jobs.NewDeadlineScheduler(a.queue), now)
}

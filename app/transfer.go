package app

import (
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/transfer"
)

// wireTransfers completes the account-to-account orders on the filing use case: a submitted
// transfer starts its SMS check (code to the account holder, 24-hour deadline task); a migration
// needs the target account's authorization (granted by SMS code) before it is submitted.
func (a *App) wireTransfers(cipher *repository.Cipher, users *repository.UserRepo, now kernel.Clock) {
	grants := repository.NewAuthorizationRepo(a.DB, cipher, a.Enqueuer)
	a.Authorizations = transfer.NewAuthorizations(grants, a.orderRows, cipher.DeriveKey("authorization"), now)
	a.Orders = a.Orders.WithTransfers(filing.TransferSetup{SMSKey: cipher.DeriveKey("sms-check"), Accounts: users,
		Deadlines: jobs.NewDeadlineScheduler(a.Queue), Grants: grants})
}

// wireInspections builds the post-filing checks with their deadline tasks.
func (a *App) wireInspections(cipher *repository.Cipher, now kernel.Clock) {
	a.Inspections = inspection.NewInspections(repository.NewInspectionRepo(a.DB, cipher, a.Enqueuer),
		a.orderRows, jobs.NewDeadlineScheduler(a.Queue), now)
}

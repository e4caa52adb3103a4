package main

import (
	"time"

	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
)

// wireBureau builds the reviewer use case (queue, claims, decisions, hand-over to the bureau,
// bureau results with one-transaction approvals) and the MIIT SMS check it starts.
func (a *app) wireBureau(cipher *repository.Cipher, users *repository.UserRepo, now kernel.Clock) {
	orders := repository.NewOrderRepo(a.db, cipher).WithDispatcher(a.enqueuer)
	a.smsChecks = review.NewSMSChecks(repository.NewCompletingOrderRepo(orders, repository.NewFilingRepo(a.db, cipher)), orders, a.limiter, cipher.DeriveKey("sms-check"), now)
	filings := repository.NewFilingRepo(a.db, cipher)
	a.reviews = review.NewReviews(review.ReviewsConfig{Orders: orders, Reviews: repository.NewReviewRepo(a.db),
		Filings: filings, Materials: repository.NewMaterialRepo(a.db), Verifications: a.verified,
		Approvals: repository.NewApprovalRepo(orders, filings), SMSKey: a.smsChecks.Key(),
		Bureau: a.bureauGateway(now), Deadlines: jobs.NewDeadlineScheduler(a.queue), Now: now})
	a.stale = filing.NewStaleOrders(orders, orders, now)
}

// bureauGateway is the simulated bureau in development (every order approved two minutes after it
// reaches bureau review; the periodic bureau:poll task asks it every 30 seconds) and none
// elsewhere: there, reviewers record the bureau's verdicts by hand.
func (a *app) bureauGateway(now kernel.Clock) review.BureauGateway {
	if a.cfg.Env != config.EnvDevelopment {
		return nil
	}
	return review.SimulatedBureau{Delay: 2 * time.Minute, Now: now}
}

// workerServices are the use cases the asynq handlers call.
func (a *app) workerServices() jobs.Services {
	return jobs.Services{Notifications: a.notifications, SMSChecks: a.smsChecks, StaleOrders: a.stale, Inspections: a.inspections,
		Reviews: a.reviews}
}

package app

import (
	"time"

	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
)

// wireReview builds the reviewer use case (queue, claims, decisions, hand-over to the bureau,
// bureau results with one-transaction approvals) and the MIIT SMS check it starts.
func (a *App) wireReview(cipher *repository.Cipher, now kernel.Clock) {
	orders := a.orderRows.WithDispatcher(a.Enqueuer)
	a.SMSChecks = review.NewSMSChecks(repository.NewCompletingOrderRepo(orders, repository.NewFilingRepo(a.DB, cipher)), orders, a.Limiter, cipher.DeriveKey("sms-check"), now)
	filings := repository.NewFilingRepo(a.DB, cipher)
	a.Reviews = review.NewReviews(review.ReviewsConfig{Orders: orders, Reviews: repository.NewReviewRepo(a.DB),
		Filings: filings, Materials: repository.NewMaterialRepo(a.DB), Verifications: a.verified,
		Approvals: repository.NewApprovalRepo(orders, filings), SMSKey: a.SMSChecks.Key(),
		Bureau: a.bureauGateway(now), Deadlines: jobs.NewDeadlineScheduler(a.Queue),
		Files: repository.NewOrderFileStore(a.DB, a.materialBlobs, a.facePhotos), Views: repository.NewReviewFileViewRepo(a.DB),
		Now: now})
	a.StaleOrders = filing.NewStaleOrders(orders, orders, now)
}

// bureauGateway is the simulated bureau in development (every order approved two minutes after it
// reaches bureau review; the periodic bureau:poll task asks it every 30 seconds) and none
// elsewhere: there, reviewers record the bureau's verdicts by hand.
func (a *App) bureauGateway(now kernel.Clock) review.BureauGateway {
	if a.Config.Env != config.EnvDevelopment {
		return nil
	}
	return review.SimulatedBureau{Delay: 2 * time.Minute, Now: now}
}

// WorkerServices are the use cases the asynq handlers call.
func (a *App) WorkerServices() jobs.Services {
	return jobs.Services{Notifications: a.Notifications, SMSChecks: a.SMSChecks, StaleOrders: a.StaleOrders, Inspections: a.Inspections,
		Reviews: a.Reviews}
}

package main

import (
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service"
)

// wireBureau builds the reviewer hand-over to the bureau and the MIIT SMS check it starts.
func (a *app) wireBureau(cipher *repository.Cipher, users *repository.UserRepo, now service.Clock) {
	orders := repository.NewOrderRepo(a.db, cipher).WithDispatcher(a.enqueuer)
	a.smsChecks = service.NewSMSChecks(orders, orders, a.limiter, cipher.DeriveKey("sms-check"), now)
	a.reviews = service.NewReviews(orders, users, a.smsChecks.Key(), jobs.NewDeadlineScheduler(a.queue), now)
	a.stale = service.NewStaleOrders(orders, orders, now)
}

// workerServices are the use cases the asynq handlers call.
func (a *app) workerServices() jobs.Services {
	return jobs.Services{Notifications: a.notifications, SMSChecks: a.smsChecks, StaleOrders: a.stale}
}

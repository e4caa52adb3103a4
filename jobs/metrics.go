package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// queueCollector reports asynq queue depth by state, the outbox rows by state and the outbox lag
// (age of the oldest notification not yet sent) each time Prometheus scrapes.
type queueCollector struct {
	inspector          *asynq.Inspector
	notifications      *notify.Notifications
	log                *slog.Logger
	depth, lag, states *prometheus.Desc
}

// RegisterQueueMetrics adds beian_queue_tasks{queue,state}, beian_outbox_notifications{state} and
// beian_outbox_lag_seconds to reg.
func RegisterQueueMetrics(reg prometheus.Registerer, inspector *asynq.Inspector, n *notify.Notifications, log *slog.Logger) error {
	return reg.Register(&queueCollector{
		inspector:     inspector,
		notifications: n, log: log,
		depth: prometheus.NewDesc("beian_queue_tasks", "asynq tasks by queue and state.", []string{"queue", "state"}, nil),
		lag:   prometheus.NewDesc("beian_outbox_lag_seconds", "Age of the oldest notification not yet sent (0 when none).", nil, nil),
		states: prometheus.NewDesc("beian_outbox_notifications",
			"Outbox rows by state (pending, enqueued, sending, failed; sent rows are not counted). failed rows wait for an admin to re-queue them.",
			[]string{"state"}, nil),
	})
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.lag
	ch <- c.states
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if lag, err := c.notifications.Lag(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, lag.Seconds())
	} else {
		c.log.Warn("metrics: outbox lag", "err", err)
	}
	if counts, err := c.notifications.Counts(ctx); err == nil {
		for state, n := range counts {
			ch <- prometheus.MustNewConstMetric(c.states, prometheus.GaugeValue, float64(n), string(state))
		}
	} else {
		c.log.Warn("metrics: outbox states", "err", err)
	}
	queues, err := c.inspector.Queues()
	if err != nil {
		c.log.Warn("metrics: queues", "err", err)
		return
	}
	for _, q := range queues {
		info, err := c.inspector.GetQueueInfo(q)
		if err != nil {
			continue
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived} {
			ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n), q, state)
		}
	}
}

// SendCounter counts deliveries per channel, provider and result.
type SendCounter struct{ vec *prometheus.CounterVec }

// NewSendCounter registers beian_notifications_sent_total{channel,provider,result} on reg.
func NewSendCounter(reg prometheus.Registerer) (*SendCounter, error) {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beian_notifications_sent_total",
		Help: "Notification sends by channel, provider and result (ok, error)."}, []string{"channel", "provider", "result"})
	return &SendCounter{vec: vec}, reg.Register(vec)
}

func (c *SendCounter) observe(channel, provider string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	c.vec.WithLabelValues(channel, provider, result).Inc()
}

// SMS wraps an SMS sender so its sends are counted under provider.
func (c *SendCounter) SMS(s notify.SMSSender, provider string) notify.SMSSender {
	return countedSMS{inner: s, provider: provider, c: c}
}

// Email wraps an e-mail sender so its sends are counted under provider.
func (c *SendCounter) Email(s notify.EmailSender, provider string) notify.EmailSender {
	return countedEmail{inner: s, provider: provider, c: c}
}

type countedSMS struct {
	inner    notify.SMSSender
	provider string
	c        *SendCounter
}

func (s countedSMS) SendSMS(ctx context.Context, m notify.SMSMessage) error {
	err := s.inner.SendSMS(ctx, m)
	s.c.observe("sms", s.provider, err)
	return err
}

type countedEmail struct {
	inner    notify.EmailSender
	provider string
	c        *SendCounter
}

func (s countedEmail) SendEmail(ctx context.Context, e notify.Email) error {
	err := s.inner.SendEmail(ctx, e)
	s.c.observe("email", s.provider, err)
	return err
}

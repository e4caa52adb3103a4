package filing

import "github.com/beian/beian/service/notify"

// Notify queues a notification to be written with the order, in the same transaction as the
// change that causes it (OrderStore.Update writes it to the outbox).
func (o *Order) Notify(n notify.Notification) { o.notes = append(o.notes, n) }

// TakeNotifications returns the notifications queued since the order was loaded and forgets them.
func (o *Order) TakeNotifications() []notify.Notification {
	n := o.notes
	o.notes = nil
	return n
}

package repository

import (
	"context"
	"time"

	"github.com/beian/beian/service/filing"
)

// OrdersDue lists orders in status whose deadline_at has passed; it satisfies service.DueOrders.
func (r *OrderRepo) OrdersDue(ctx context.Context, status filing.OrderStatus, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := r.db.WithContext(ctx).Model(&orderRow{}).Where("status = ? AND deadline_at <= ?", string(status), now).
		Order("deadline_at").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

// IdleOrders lists orders in one of statuses not updated since before; it satisfies
// service.IdleOrders.
func (r *OrderRepo) IdleOrders(ctx context.Context, statuses []filing.OrderStatus, before time.Time, afterID int64, limit int) ([]int64, error) {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	var ids []int64
	err := r.db.WithContext(ctx).Model(&orderRow{}).Where("status IN ? AND updated_at <= ? AND id > ?", names, before, afterID).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

package repository

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
	"gorm.io/gorm"
)

// ReviewFileViewRepo is the log of reviewers opening materials and verification photos
// (migrations/*/00010_review_file_views.sql); it satisfies review.ViewLog. Rows are only ever inserted.
type ReviewFileViewRepo struct{ db *gorm.DB }

// NewReviewFileViewRepo returns a ReviewFileViewRepo on db.
func NewReviewFileViewRepo(db *gorm.DB) *ReviewFileViewRepo { return &ReviewFileViewRepo{db: db} }

type fileViewRow struct {
	ID         int64 `gorm:"primaryKey"`
	ReviewerID int64
	OrderID    int64
	Object     string
	Ref        string
	ViewedAt   time.Time
}

func (fileViewRow) TableName() string { return "review_file_views" }

func (r fileViewRow) toService() review.FileView {
	return review.FileView{ReviewerID: r.ReviewerID, OrderID: r.OrderID, Object: r.Object, Ref: r.Ref, At: r.ViewedAt.UTC()}
}

// RecordView inserts one view.
func (r *ReviewFileViewRepo) RecordView(ctx context.Context, v review.FileView) error {
	row := fileViewRow{ReviewerID: v.ReviewerID, OrderID: v.OrderID, Object: v.Object, Ref: v.Ref, ViewedAt: v.At.UTC()}
	return r.db.WithContext(ctx).Create(&row).Error
}

// FileViews lists the order's views, oldest first.
func (r *ReviewFileViewRepo) FileViews(ctx context.Context, orderID int64) ([]review.FileView, error) {
	var rows []fileViewRow
	if err := r.db.WithContext(ctx).Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]review.FileView, len(rows))
	for i, row := range rows {
		out[i] = row.toService()
	}
	return out, nil
}

// OrderFileStore reads materials and confirmed face photos from their encrypted blob stores; it
// satisfies review.OrderFiles.
type OrderFileStore struct {
	db        *gorm.DB
	materials blob.Store
	photos    blob.Store
}

// NewOrderFileStore returns an OrderFileStore; materials and photos are the sealed stores the
// filing and verification use cases write.
func NewOrderFileStore(db *gorm.DB, materials, photos blob.Store) *OrderFileStore {
	return &OrderFileStore{db: db, materials: materials, photos: photos}
}

// MaterialFile returns the material's stored bytes.
func (s *OrderFileStore) MaterialFile(ctx context.Context, m filing.Material) ([]byte, error) {
	return s.materials.Get(ctx, m.BlobKey)
}

// VerificationPhoto returns the confirmed face photo of the person, or ErrNotFound.
func (s *OrderFileStore) VerificationPhoto(ctx context.Context, orderID int64, person filing.PersonRef) ([]byte, error) {
	var key string
	err := s.db.WithContext(ctx).Table("verifications").Select("photo_key").
		Where("order_id = ? AND person_role = ? AND service_id = ? AND state = ?", orderID, string(person.Role), person.ServiceID, "confirmed").
		Row().Scan(&key)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && key == "") {
		return nil, fmt.Errorf("verification photo of order %d %s: %w", orderID, person, kernel.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return s.photos.Get(ctx, key)
}

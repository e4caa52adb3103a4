package repository

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"gorm.io/gorm"
)

// materialRow records an uploaded material; the bytes live in the file store under blob_key.
type materialRow struct {
	ID        int64 `gorm:"primaryKey"`
	OrderID   int64
	AccountID int64
	Kind      string
	MediaType string
	Size      int64
	SHA256    string `gorm:"column:sha256"`
	Width     int
	Height    int
	BlobKey   string
	CreatedAt time.Time
}

func (materialRow) TableName() string { return "materials" }

func (r materialRow) toService() (filing.Material, error) {
	key, err := filing.ParseMaterialKey(r.Kind)
	if err != nil {
		return filing.Material{}, fmt.Errorf("material %d: %w", r.ID, err)
	}
	return filing.Material{ID: r.ID, OrderID: r.OrderID, AccountID: r.AccountID, Key: key, MediaType: r.MediaType,
		Size: r.Size, SHA256: r.SHA256, Width: r.Width, Height: r.Height, BlobKey: r.BlobKey, CreatedAt: r.CreatedAt}, nil
}

// MaterialRepo keeps material records; it satisfies service.MaterialStore.
type MaterialRepo struct{ db *gorm.DB }

// NewMaterialRepo returns a MaterialRepo on db.
func NewMaterialRepo(db *gorm.DB) *MaterialRepo { return &MaterialRepo{db: db} }

// CreateMaterial inserts a material record if its order is editable, bumping the order's version.
func (r *MaterialRepo) CreateMaterial(ctx context.Context, m filing.Material) (filing.Material, error) {
	row := materialRow{OrderID: m.OrderID, AccountID: m.AccountID, Kind: m.Key.String(), MediaType: m.MediaType,
		Size: m.Size, SHA256: m.SHA256, Width: m.Width, Height: m.Height, BlobKey: m.BlobKey, CreatedAt: m.CreatedAt}
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		row.ID = 0 // a retried transaction inserts afresh
		if err := touchEditableOrder(tx, m.OrderID); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return filing.Material{}, translate(err)
	}
	m.ID = row.ID
	return m, nil
}

// touchEditableOrder bumps the version of an editable order (locking its row on MySQL), so that
// an OrderStore.Update that read the order before this transaction fails its version check.
func touchEditableOrder(tx *gorm.DB, orderID int64) error {
	res := tx.Model(&orderRow{}).Where("id = ? AND status IN ?", orderID, filing.EditableStatuses()).
		Update("version", gorm.Expr("version + 1"))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("order %d: %w", orderID, filing.ErrOrderNotEditable)
	}
	return nil
}

// Material loads one material record.
func (r *MaterialRepo) Material(ctx context.Context, id int64) (filing.Material, error) {
	var row materialRow
	if err := r.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return filing.Material{}, translate(err)
	}
	return row.toService()
}

// OrderMaterials lists an order's materials, oldest first.
func (r *MaterialRepo) OrderMaterials(ctx context.Context, orderID int64) ([]filing.Material, error) {
	var rows []materialRow
	db, _ := conn(ctx, r.db)
	if err := db.Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]filing.Material, 0, len(rows))
	for _, row := range rows {
		m, err := row.toService()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// DeleteMaterial removes a material record if its order is editable, bumping the order's version.
func (r *MaterialRepo) DeleteMaterial(ctx context.Context, id int64) error {
	return translate(transact(ctx, r.db, func(tx *gorm.DB) error {
		var row materialRow
		if err := tx.Take(&row, id).Error; err != nil {
			return err
		}
		if err := touchEditableOrder(tx, row.OrderID); err != nil {
			return err
		}
		res := tx.Delete(&materialRow{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return kernel.ErrNotFound
		}
		return res.Error
	}))
}

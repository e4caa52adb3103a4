package repository

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type sequenceRow struct {
	Name string `gorm:"primaryKey"`
	Last int64
}

func (sequenceRow) TableName() string { return "sequences" }

// nextInSequence takes the next number of the named sequence inside the caller's transaction tx.
// The row stays locked until tx ends, so concurrent callers queue; a rolled-back transaction gives
// its number back, so committed numbers have no gaps and are never reused.
func nextInSequence(tx *gorm.DB, name string) (int64, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&sequenceRow{Name: name}).Error; err != nil {
		return 0, fmt.Errorf("sequence %s: %w", name, err)
	}
	res := tx.Model(&sequenceRow{}).Where("name = ?", name).Update("last", gorm.Expr("last + 1"))
	if res.Error != nil || res.RowsAffected != 1 {
		return 0, fmt.Errorf("sequence %s: advance: %v", name, res.Error)
	}
	var row sequenceRow
	if err := tx.Where("name = ?", name).Take(&row).Error; err != nil {
		return 0, fmt.Errorf("sequence %s: read: %w", name, err)
	}
	return row.Last, nil
}

// SubjectSequence names the per-province, per-year sequence of subject filing numbers.
func SubjectSequence(province string, year int) string {
	return fmt.Sprintf("subject:%s:%d", province, year)
}

// ServiceSequence names the sequence of service numbers (…号-n) under one filed subject.
func ServiceSequence(subjectID int64) string { return fmt.Sprintf("service:%d", subjectID) }

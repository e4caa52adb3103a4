package repository

import (
	"context"
	"strings"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"gorm.io/gorm"
)

// inspectionRow is a post-filing check of a filed subject (service_id 0) or service.
type inspectionRow struct {
	ID            int64 `gorm:"primaryKey"`
	AccountID     int64
	SubjectID     int64
	ServiceID     int64
	Target        string
	Reasons       string
	Comment       string
	DeadlineAt    time.Time
	Status        string
	AnswerNote    string
	AnswerOrderID int64
	AnsweredAt    *time.Time
	OpenedBy      int64
	ResolvedBy    int64
	ResolvedAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (inspectionRow) TableName() string { return "inspections" }

func (r inspectionRow) toService() inspection.Inspection {
	var reasons []string
	if r.Reasons != "" {
		reasons = strings.Split(r.Reasons, ",")
	}
	return inspection.Inspection{ID: r.ID, AccountID: r.AccountID, SubjectID: r.SubjectID, ServiceID: r.ServiceID,
		Target: r.Target, Reasons: reasons, Comment: r.Comment, DeadlineAt: r.DeadlineAt.UTC(),
		Status: inspection.InspectionStatus(r.Status), AnswerNote: r.AnswerNote, AnswerOrderID: r.AnswerOrderID,
		AnsweredAt: r.AnsweredAt, OpenedBy: r.OpenedBy, ResolvedBy: r.ResolvedBy, ResolvedAt: r.ResolvedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func toInspectionRow(in inspection.Inspection) inspectionRow {
	return inspectionRow{ID: in.ID, AccountID: in.AccountID, SubjectID: in.SubjectID, ServiceID: in.ServiceID,
		Target: in.Target, Reasons: strings.Join(in.Reasons, ","), Comment: in.Comment, DeadlineAt: in.DeadlineAt,
		Status: string(in.Status), AnswerNote: in.AnswerNote, AnswerOrderID: in.AnswerOrderID, AnsweredAt: in.AnsweredAt,
		OpenedBy: in.OpenedBy, ResolvedBy: in.ResolvedBy, ResolvedAt: in.ResolvedAt, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt}
}

// inspectionEventRow logs what happened to an inspection: opened, answered, resolved, overdue.
type inspectionEventRow struct {
	ID           int64 `gorm:"primaryKey"`
	InspectionID int64
	Event        string
	ActorKind    string
	ActorID      int64
	Comment      string
	CreatedAt    time.Time
}

func (inspectionEventRow) TableName() string { return "inspection_events" }

// InspectionRepo keeps post-filing checks; it satisfies service.InspectionStore. Notices are
// written to the outbox in the transaction of the change that causes them.
type InspectionRepo struct {
	db       *gorm.DB
	filings  *FilingRepo
	outbox   *OutboxRepo
	dispatch account.Dispatcher
}

// NewInspectionRepo returns an InspectionRepo; d (may be nil) hands notices to the queue right after
// commit, the outbox relay delivers them otherwise.
func NewInspectionRepo(db *gorm.DB, c *Cipher, d account.Dispatcher) *InspectionRepo {
	return &InspectionRepo{db: db, filings: NewFilingRepo(db, c), outbox: NewOutboxRepo(db, c), dispatch: d}
}

// InspectionTarget loads the live subject, or the live service and its subject.
func (r *InspectionRepo) InspectionTarget(ctx context.Context, subjectID, serviceID int64) (inspection.InspectionTarget, error) {
	db := r.db.WithContext(ctx)
	var t inspection.InspectionTarget
	if serviceID != 0 {
		var svc serviceRow
		if err := db.Where("id = ? AND status = ?", serviceID, string(filing.RecordLive)).Take(&svc).Error; err != nil {
			return t, translate(err)
		}
		s, err := r.filings.serviceToService(svc)
		if err != nil {
			return t, err
		}
		t.Service, subjectID = &s, svc.SubjectID
	}
	var sub subjectRow
	if err := db.Where("id = ? AND live = 1", subjectID).Take(&sub).Error; err != nil {
		return t, translate(err)
	}
	s, err := r.filings.subjectToService(sub)
	t.Subject = s
	return t, err
}

// Inspection loads one inspection.
func (r *InspectionRepo) Inspection(ctx context.Context, id int64) (inspection.Inspection, error) {
	var row inspectionRow
	if err := r.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return inspection.Inspection{}, translate(err)
	}
	return row.toService(), nil
}

// ListInspections lists inspections newest first by the filter.
func (r *InspectionRepo) ListInspections(ctx context.Context, f inspection.InspectionFilter) ([]inspection.Inspection, error) {
	q := r.db.WithContext(ctx).Model(&inspectionRow{})
	if f.AccountID != 0 {
		q = q.Where("account_id = ?", f.AccountID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []inspectionRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]inspection.Inspection, len(rows))
	for i, row := range rows {
		out[i] = row.toService()
	}
	return out, nil
}

// InspectionsDue lists open or answered inspections whose deadline has passed, oldest deadline first.
func (r *InspectionRepo) InspectionsDue(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := r.db.WithContext(ctx).Model(&inspectionRow{}).Where("status IN ? AND deadline_at <= ?", unresolved(), now).
		Order("deadline_at, id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

func unresolved() []string {
	return []string{string(inspection.InspectionOpen), string(inspection.InspectionAnswered)}
}

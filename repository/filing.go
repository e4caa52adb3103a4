package repository

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"gorm.io/gorm"
)

// subjectRow is a filed subject. Its content is encrypted; cert_index (a blind index of the
// certificate number) and live (1, or NULL once cancelled) make live subjects unique per account
// and per certificate.
type subjectRow struct {
	ID        int64 `gorm:"primaryKey"`
	AccountID int64
	Live      *int
	Status    string
	Nature    int
	Province  string
	CertIndex string
	InfoEnc   []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (subjectRow) TableName() string { return "subjects" }

// serviceRow is a filed service; its content is encrypted.
type serviceRow struct {
	ID        int64 `gorm:"primaryKey"`
	SubjectID int64
	AccountID int64
	Kind      string
	Status    string
	InfoEnc   []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (serviceRow) TableName() string { return "services" }

const (
	subjectInfoColumn = "subjects.info"
	serviceInfoColumn = "services.info"
	certIndexName     = "cert_number"
)

// FilingRepo keeps filed subjects and services; it satisfies service.FilingStore.
type FilingRepo struct {
	db     *gorm.DB
	cipher *Cipher
}

// NewFilingRepo returns a FilingRepo on db.
func NewFilingRepo(db *gorm.DB, c *Cipher) *FilingRepo { return &FilingRepo{db: db, cipher: c} }

func (r *FilingRepo) subjectToService(row subjectRow) (filing.Subject, error) {
	s := filing.Subject{ID: row.ID, AccountID: row.AccountID, Status: filing.RecordStatus(row.Status),
		CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	return s, r.open(subjectInfoColumn, row.InfoEnc, &s.Info)
}

func (r *FilingRepo) serviceToService(row serviceRow) (filing.FiledService, error) {
	s := filing.FiledService{ID: row.ID, SubjectID: row.SubjectID, AccountID: row.AccountID,
		Status: filing.RecordStatus(row.Status), CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	return s, r.open(serviceInfoColumn, row.InfoEnc, &s.Info)
}

func (r *FilingRepo) open(column string, sealed []byte, dst any) error {
	plain, err := r.cipher.Open(column, sealed)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, dst)
}

func (r *FilingRepo) seal(column string, v any) []byte {
	plain, _ := json.Marshal(v) // subject and service infos hold only strings, numbers, bools and slices
	return r.cipher.Seal(column, plain)
}

// SubjectOf is the account's live subject.
func (r *FilingRepo) SubjectOf(ctx context.Context, accountID int64) (filing.Subject, error) {
	var row subjectRow
	db, _ := conn(ctx, r.db)
	if err := db.Where("account_id = ? AND live = 1", accountID).Take(&row).Error; err != nil {
		return filing.Subject{}, translate(err)
	}
	return r.subjectToService(row)
}

// LiveServices lists the subject's live services in filing order.
func (r *FilingRepo) LiveServices(ctx context.Context, subjectID int64) ([]filing.FiledService, error) {
	var rows []serviceRow
	db, _ := conn(ctx, r.db)
	err := db.Where("subject_id = ? AND status = ?", subjectID, string(filing.RecordLive)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]filing.FiledService, 0, len(rows))
	for _, row := range rows {
		s, err := r.serviceToService(row)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// FiledService loads one filed service, live or not.
func (r *FilingRepo) FiledService(ctx context.Context, id int64) (filing.FiledService, error) {
	var row serviceRow
	if err := r.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return filing.FiledService{}, translate(err)
	}
	return r.serviceToService(row)
}

// ApplyApproved writes an approved order's proposal to the filed records in one transaction:
// new subjects and services, changed content, cancellations, transfers and migrations. A second
// live subject for the account or the certificate is service.ErrConflict.
func (r *FilingRepo) ApplyApproved(ctx context.Context, o filing.Order) error {
	if o.Status != filing.StatusApproved {
		return fmt.Errorf("apply order %d in %s: %w", o.ID, o.Status, filing.ErrTransitionNotAllowed)
	}
	return translate(transact(ctx, r.db, func(tx *gorm.DB) error { return r.apply(tx, o) }))
}

func (r *FilingRepo) apply(tx *gorm.DB, o filing.Order) error {
	if err := r.applyRecords(tx, o); err != nil {
		return err
	}
	return r.settleClaims(tx, o)
}

func (r *FilingRepo) applyRecords(tx *gorm.DB, o filing.Order) error {
	p, now, subjectID := o.Proposal, o.UpdatedAt, o.SubjectID
	switch o.Type {
	case filing.OrderNewFiling, filing.OrderClaim, filing.OrderNewAccess:
		if subjectID == 0 {
			row := subjectRow{AccountID: o.AccountID, Live: ptrOne(), Status: string(filing.RecordLive), Nature: p.Subject.Nature,
				Province: p.Subject.Province, CertIndex: r.cipher.Index(certIndexName, p.Subject.CertNumber),
				InfoEnc: r.seal(subjectInfoColumn, p.Subject), CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			subjectID = row.ID
		}
		return r.insertServices(tx, o.AccountID, subjectID, p.Services, now)
	case filing.OrderNewService:
		return r.insertServices(tx, o.AccountID, subjectID, p.Services, now)
	case filing.OrderChangeSubject, filing.OrderChangeService, filing.OrderChangeBoth:
		return r.applyChange(tx, o)
	case filing.OrderCancelService, filing.OrderCancelAccess, filing.OrderMigrate:
		return r.moveOrCancel(tx, o)
	case filing.OrderCancelSubject:
		if err := tx.Model(&serviceRow{}).Where("subject_id = ?", subjectID).
			Updates(map[string]any{"status": string(filing.RecordCancelled), "updated_at": now}).Error; err != nil {
			return err
		}
		return r.updateSubject(tx, subjectID, map[string]any{"live": nil, "status": string(filing.RecordCancelled), "updated_at": now})
	case filing.OrderTransfer:
		if err := tx.Model(&serviceRow{}).Where("subject_id = ?", subjectID).
			Updates(map[string]any{"account_id": p.TargetAccountID, "updated_at": now}).Error; err != nil {
			return err
		}
		return r.updateSubject(tx, subjectID, map[string]any{"account_id": p.TargetAccountID, "updated_at": now})
	}
	return fmt.Errorf("apply order %d: unknown type %q", o.ID, o.Type)
}

func (r *FilingRepo) insertServices(tx *gorm.DB, accountID, subjectID int64, svcs []filing.ServiceInfo, now time.Time) error {
	for _, s := range svcs {
		s.ID, s.FiledID = 0, 0
		row := serviceRow{SubjectID: subjectID, AccountID: accountID, Kind: string(s.Kind), Status: string(filing.RecordLive),
			InfoEnc: r.seal(serviceInfoColumn, s), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

func (r *FilingRepo) applyChange(tx *gorm.DB, o filing.Order) error {
	now := o.UpdatedAt
	if o.Type != filing.OrderChangeService {
		s := o.Proposal.Subject
		if err := r.updateSubject(tx, o.SubjectID, map[string]any{"nature": s.Nature, "province": s.Province,
			"cert_index": r.cipher.Index(certIndexName, s.CertNumber), "info_enc": r.seal(subjectInfoColumn, s),
			"updated_at": now}); err != nil {
			return err
		}
	}
	if o.Type == filing.OrderChangeSubject {
		return nil
	}
	for _, s := range o.Proposal.Services {
		filedID := s.FiledID
		s.ID, s.FiledID = 0, 0
		if err := r.updateService(tx, o.SubjectID, filedID, map[string]any{"kind": string(s.Kind),
			"info_enc": r.seal(serviceInfoColumn, s), "updated_at": now}); err != nil {
			return err
		}
	}
	return nil
}

func (r *FilingRepo) moveOrCancel(tx *gorm.DB, o filing.Order) error {
	cols := map[string]any{"status": string(filing.RecordCancelled), "updated_at": o.UpdatedAt}
	if o.Type == filing.OrderMigrate {
		cols = map[string]any{"subject_id": o.Proposal.TargetSubjectID, "account_id": o.Proposal.TargetAccountID,
			"updated_at": o.UpdatedAt}
	}
	for _, s := range o.Proposal.Services {
		if err := r.updateService(tx, o.SubjectID, s.FiledID, cols); err != nil {
			return err
		}
	}
	return nil
}

func (r *FilingRepo) updateSubject(tx *gorm.DB, id int64, cols map[string]any) error {
	res := tx.Model(&subjectRow{}).Where("id = ? AND live = 1", id).Updates(cols)
	return affectedOne(res, fmt.Sprintf("subject %d", id))
}

func (r *FilingRepo) updateService(tx *gorm.DB, subjectID, id int64, cols map[string]any) error {
	res := tx.Model(&serviceRow{}).Where("id = ? AND subject_id = ? AND status = ?", id, subjectID, string(filing.RecordLive)).
		Updates(cols)
	return affectedOne(res, fmt.Sprintf("service %d", id))
}

// ptrOne is the value of the nullable flag columns (live, in_flight) while set.
func ptrOne() *int {
	one := 1
	return &one
}

func affectedOne(res *gorm.DB, what string) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("%s is not live: %w", what, kernel.ErrConflict)
	}
	return nil
}

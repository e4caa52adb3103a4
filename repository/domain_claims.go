package repository

import (
	"context"
	"slices"
	"time"

	"github.com/beian/beian/service/filing"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// domainClaimRow holds one domain for one subject, named by the blind index of its certificate
// number (subjects.cert_index). The primary key on domain is what makes a domain belong to at most
// one subject: a claim is taken when an order carrying the domain is submitted, marked filed when
// it is approved, released when the order ends unapproved, and dropped or handed over when the
// filed service is cancelled or migrated.
type domainClaimRow struct {
	Domain      string `gorm:"primaryKey"`
	HolderIndex string
	OrderID     int64
	Filed       bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (domainClaimRow) TableName() string { return "domain_claims" }

// DomainClaimRepo takes domain claims; it satisfies filing.DomainClaims.
type DomainClaimRepo struct {
	db     *gorm.DB
	cipher *Cipher
}

// NewDomainClaimRepo returns a DomainClaimRepo on db.
func NewDomainClaimRepo(db *gorm.DB, c *Cipher) *DomainClaimRepo {
	return &DomainClaimRepo{db: db, cipher: c}
}

// Claim holds domains for the subject whose certificate number is certNumber, on behalf of the
// order. Each domain is inserted if free and then read locked: held for another subject, it is
// refused (all such domains in one *filing.DomainClaimError); held for the same subject by an
// unfiled claim of another order, it passes to this one. Domains are taken in sorted order so two
// orders never wait on each other in a cycle. Inside OrderRepo.UpdateInTx it writes in that
// transaction, so a refusal rolls back the claims already taken.
func (r *DomainClaimRepo) Claim(ctx context.Context, orderID int64, certNumber string, domains []string, now time.Time) error {
	db, _ := conn(ctx, r.db)
	holder := r.cipher.Index(certIndexName, certNumber)
	sorted := slices.Clone(domains)
	slices.Sort(sorted)
	var taken []string
	for _, d := range slices.Compact(sorted) {
		row := domainClaimRow{Domain: d, HolderIndex: holder, OrderID: orderID, CreatedAt: now, UpdatedAt: now}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return translate(err)
		}
		var cur domainClaimRow
		if err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("domain = ?", d).Take(&cur).Error; err != nil {
			return translate(err)
		}
		switch {
		case cur.HolderIndex != holder:
			taken = append(taken, d)
		case cur.OrderID != orderID && !cur.Filed:
			if err := db.Model(&domainClaimRow{}).Where("domain = ?", d).
				Updates(map[string]any{"order_id": orderID, "updated_at": now}).Error; err != nil {
				return translate(err)
			}
		}
	}
	if len(taken) > 0 {
		return &filing.DomainClaimError{Domains: taken}
	}
	return nil
}

// releaseUnfiled drops the claims an order took that were never filed: the order ended without
// approval (abandoned, expired).
func releaseUnfiled(tx *gorm.DB, orderID int64) error {
	return tx.Where("order_id = ? AND filed = ?", orderID, false).Delete(&domainClaimRow{}).Error
}

// settleClaims applies an approved order to the domain claims inside the approval's transaction:
// its claims become filed; a cancellation releases the cancelled services' domains (a whole
// subject's for cancel_subject); a migration hands the domains to the receiving subject.
func (r *FilingRepo) settleClaims(tx *gorm.DB, o filing.Order) error {
	now := o.UpdatedAt
	if err := tx.Model(&domainClaimRow{}).Where("order_id = ?", o.ID).
		Updates(map[string]any{"filed": true, "updated_at": now}).Error; err != nil {
		return err
	}
	var domains []string
	for _, s := range o.Proposal.Services {
		domains = append(domains, s.Domains...)
	}
	holder := r.cipher.Index(certIndexName, o.Proposal.Subject.CertNumber)
	switch o.Type {
	case filing.OrderCancelService, filing.OrderCancelAccess:
		return tx.Where("holder_index = ? AND domain IN ?", holder, nonEmpty(domains)).Delete(&domainClaimRow{}).Error
	case filing.OrderCancelSubject:
		return tx.Where("holder_index = ?", holder).Delete(&domainClaimRow{}).Error
	case filing.OrderMigrate:
		var target subjectRow
		if err := tx.Select("cert_index").Take(&target, o.Proposal.TargetSubjectID).Error; err != nil {
			return err
		}
		return tx.Model(&domainClaimRow{}).Where("holder_index = ? AND domain IN ?", holder, nonEmpty(domains)).
			Updates(map[string]any{"holder_index": target.CertIndex, "order_id": o.ID, "filed": true, "updated_at": now}).Error
	}
	return nil
}

// nonEmpty keeps an IN list valid SQL when there is nothing to match.
func nonEmpty(list []string) []string {
	if len(list) == 0 {
		return []string{""}
	}
	return list
}

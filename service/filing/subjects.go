package filing

import (
	"context"
	"errors"
	"github.com/beian/beian/service/kernel"
)

// Subjects shows an account its filed subject and services.
type Subjects struct{ filings FilingStore }

// NewSubjects wires the filed-records use case.
func NewSubjects(filings FilingStore) *Subjects { return &Subjects{filings: filings} }

// Subject is the account's live subject, or ErrNotFound.
func (u *Subjects) Subject(ctx context.Context, accountID int64) (Subject, error) {
	return u.filings.SubjectOf(ctx, accountID)
}

// Services lists the live services of the account's subject (none without a subject).
func (u *Subjects) Services(ctx context.Context, accountID int64) ([]FiledService, error) {
	s, err := u.filings.SubjectOf(ctx, accountID)
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	return u.filings.LiveServices(ctx, s.ID)
}

// Service returns one of the account's filed services; another account's is ErrNotFound.
func (u *Subjects) Service(ctx context.Context, accountID, id int64) (FiledService, error) {
	s, err := u.filings.FiledService(ctx, id)
	if err := kernel.OwnedBy(err, s.AccountID, accountID, "service", id); err != nil {
		return FiledService{}, err
	}
	return s, nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, kernel.ErrNotFound) {
		return nil
	}
	return err
}

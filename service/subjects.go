package service

import (
	"context"
	"errors"
	"fmt"
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
	if err := ownedBy(err, s.AccountID, accountID, "service", id); err != nil {
		return FiledService{}, err
	}
	return s, nil
}

// ownedBy passes err on, or makes another account's record ErrNotFound, so that a caller cannot
// tell it from a record that does not exist.
func ownedBy(err error, owner, accountID int64, what string, id int64) error {
	if err == nil && owner != accountID {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	return nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

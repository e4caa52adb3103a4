package main

import (
	"context"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service"
)

// wireFiling builds the filing use cases: orders, materials (bytes encrypted under cfg.FilesDir)
// and filed records.
func (a *app) wireFiling(cipher *repository.Cipher, users *repository.UserRepo, now service.Clock) error {
	local, err := blob.NewLocal(a.cfg.FilesDir)
	if err != nil {
		return err
	}
	files, err := blob.NewSealed(local, cipher.DeriveKey("materials"))
	if err != nil {
		return err
	}
	if a.verified == nil {
		a.verified = noConfirmedVerifications{}
	}
	orders := repository.NewOrderRepo(a.db, cipher).WithDispatcher(a.enqueuer)
	filings := repository.NewFilingRepo(a.db, cipher)
	materials := repository.NewMaterialRepo(a.db)
	a.orders = service.NewOrders(orders, filings, materials, a.verified, users, now)
	a.materials = service.NewMaterials(orders, materials, files, a.cfg.UploadMaxBytes, now)
	a.subjects = service.NewSubjects(filings)
	return nil
}

// noConfirmedVerifications is the verification status while this build has no verification
// subsystem: nobody is confirmed, so orders that need verifications cannot be submitted and
// /requirements names each person still to verify.
type noConfirmedVerifications struct{}

// ConfirmedPersons satisfies service.VerificationStatus with an empty list.
func (noConfirmedVerifications) ConfirmedPersons(context.Context, int64) ([]service.PersonRef, error) {
	return nil, nil
}

package main

import (
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// wireFiling builds the filing use cases: orders, materials (bytes encrypted under cfg.FilesDir)
// and filed records.
func (a *app) wireFiling(cipher *repository.Cipher, users *repository.UserRepo, now kernel.Clock) error {
	local, err := blob.NewLocal(a.cfg.FilesDir)
	if err != nil {
		return err
	}
	files, err := blob.NewSealed(local, cipher.DeriveKey("materials"))
	if err != nil {
		return err
	}
	if a.verified == nil {
		a.verified = repository.NewVerificationRepo(a.db, cipher) // confirmed rows of the verifications table
	}
	orders := repository.NewOrderRepo(a.db, cipher).WithDispatcher(a.enqueuer)
	filings := repository.NewFilingRepo(a.db, cipher)
	materials := repository.NewMaterialRepo(a.db)
	a.orders = filing.NewOrders(orders, filings, materials, a.verified, users, now)
	a.materials = filing.NewMaterials(orders, materials, files, a.cfg.UploadMaxBytes, now)
	a.subjects = filing.NewSubjects(filings)
	return nil
}

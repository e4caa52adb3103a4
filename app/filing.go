package app

import (
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// wireFiling builds the filing use cases: orders, materials (bytes encrypted in the blob store)
// and filed records.
func (a *App) wireFiling(cipher *repository.Cipher, users *repository.UserRepo, now kernel.Clock) error {
	files, err := blob.NewSealed(a.Blobs, cipher.DeriveKey("materials"))
	if err != nil {
		return err
	}
	a.materialBlobs = files
	if a.verified == nil {
		a.verified = a.verificationRows // confirmed rows of the verifications table
	}
	orders := a.orderRows.WithDispatcher(a.Enqueuer)
	filings := repository.NewFilingRepo(a.DB, cipher)
	materials := repository.NewMaterialRepo(a.DB)
	claims := repository.NewDomainClaimRepo(a.DB, cipher)
	a.Orders = filing.NewOrders(orders, filings, materials, a.verified, claims, users, now)
	a.Materials = filing.NewMaterials(orders, materials, files, a.Config.UploadMaxBytes, a.Images, now)
	a.Subjects = filing.NewSubjects(filings)
	return nil
}

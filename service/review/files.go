package review

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// What a reviewer can open, as recorded in the view log.
const (
	ViewMaterial          = "material"
	ViewVerificationPhoto = "verification_photo"
)

// FileView is one opening of a material or a verification photo by a reviewer.
type FileView struct {
	ReviewerID int64
	OrderID    int64
	Object     string // ViewMaterial or ViewVerificationPhoto
	Ref        string // the material id, or the person ("subject_principal", "service_principal:3")
	At         time.Time
}

// ViewLog records every view of personal files and lists an order's views, oldest first.
type ViewLog interface {
	RecordView(ctx context.Context, v FileView) error
	FileViews(ctx context.Context, orderID int64) ([]FileView, error)
}

// OrderFiles reads the stored bytes of a material and the confirmed face photo of a person.
type OrderFiles interface {
	MaterialFile(ctx context.Context, m filing.Material) ([]byte, error)
	VerificationPhoto(ctx context.Context, orderID int64, person filing.PersonRef) ([]byte, error)
}

// Material returns one material of the order with its bytes, after recording that the reviewer
// opened it. A material of another order is ErrNotFound; when the view cannot be recorded the
// file is not returned.
func (r *Reviews) Material(ctx context.Context, reviewerID, orderID, materialID int64) (filing.Material, []byte, error) {
	list, err := r.materials.OrderMaterials(ctx, orderID)
	if err != nil {
		return filing.Material{}, nil, err
	}
	for _, m := range list {
		if m.ID != materialID {
			continue
		}
		if err := r.recordView(ctx, reviewerID, orderID, ViewMaterial, strconv.FormatInt(materialID, 10)); err != nil {
			return filing.Material{}, nil, err
		}
		data, err := r.files.MaterialFile(ctx, m)
		return m, data, err
	}
	return filing.Material{}, nil, fmt.Errorf("order %d material %d: %w", orderID, materialID, kernel.ErrNotFound)
}

// VerificationPhoto returns the confirmed face photo of one responsible person of the order,
// after recording that the reviewer opened it. A person without a confirmed verification is
// ErrNotFound.
func (r *Reviews) VerificationPhoto(ctx context.Context, reviewerID, orderID int64, person filing.PersonRef) ([]byte, error) {
	confirmed, err := r.verified.Confirmations(ctx, orderID)
	if err != nil {
		return nil, err
	}
	found := false
	for _, c := range confirmed {
		found = found || c.Person == person
	}
	if !found {
		return nil, fmt.Errorf("order %d %s photo: %w", orderID, person, kernel.ErrNotFound)
	}
	if err := r.recordView(ctx, reviewerID, orderID, ViewVerificationPhoto, person.String()); err != nil {
		return nil, err
	}
	return r.files.VerificationPhoto(ctx, orderID, person)
}

func (r *Reviews) recordView(ctx context.Context, reviewerID, orderID int64, object, ref string) error {
	if r.views == nil || r.files == nil {
		return fmt.Errorf("file views: %w", kernel.ErrUnavailable)
	}
	v := FileView{ReviewerID: reviewerID, OrderID: orderID, Object: object, Ref: ref, At: r.now()}
	if err := r.views.RecordView(ctx, v); err != nil {
		return fmt.Errorf("record file view: %w", err)
	}
	return nil
}

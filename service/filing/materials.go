package filing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/material"
)

// Material is an uploaded document of an order, cleaned by material.Process and stored by key.
type Material struct {
	ID        int64
	OrderID   int64
	AccountID int64
	Key       MaterialKey
	MediaType string
	Size      int64
	SHA256    string // lower-case hex of the stored bytes
	Width     int
	Height    int
	BlobKey   string
	CreatedAt time.Time
}

// MaterialStore keeps material records. Creating and deleting happen only while the order is
// editable and bump the order's version in the same transaction, so a submission racing the change
// fails its version check instead of going ahead on a stale list of materials.
type MaterialStore interface {
	MaterialLister
	// CreateMaterial inserts m if its order is editable; ErrOrderNotEditable otherwise.
	CreateMaterial(ctx context.Context, m Material) (Material, error)
	Material(ctx context.Context, id int64) (Material, error)
	// DeleteMaterial removes the material if its order is editable; ErrOrderNotEditable otherwise.
	DeleteMaterial(ctx context.Context, id int64) error
}

// FileStore keeps the bytes of uploads by key (repository/blob: local directory, encrypted).
type FileStore interface {
	// Put stores data under key; it does not keep data once it returns (Upload reuses the memory).
	Put(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// OrderReader reads one order.
type OrderReader interface {
	Order(ctx context.Context, id int64) (Order, error)
}

// Materials is the upload use case for order materials.
type Materials struct {
	orders   OrderReader
	store    MaterialStore
	files    FileStore
	maxBytes int64
	images   *imaging.Limiter
	buffers  *material.Buffers // the uploads' read buffers, reused across uploads
	now      kernel.Clock
}

// NewMaterials wires the material use case; maxBytes bounds one upload (9 MiB by the filing rules)
// and images, shared with the face check, bounds concurrent image decodes (nil: unbounded).
func NewMaterials(orders OrderReader, store MaterialStore, files FileStore, maxBytes int64, images *imaging.Limiter, now kernel.Clock) *Materials {
	return &Materials{orders: orders, store: store, files: files, maxBytes: maxBytes, images: images,
		buffers: material.NewBuffers(), now: now}
}

// Upload reads one file for the material slot key (MaterialKey's text form) of an editable order,
// checks and cleans it with material.Process and stores it. Errors: FieldErrors for a bad key,
// ErrOrderNotEditable, and material.ErrTooLarge / ErrUnsupportedType / ErrImageDimensions /
// ErrCorrupt / ErrNotColour from the checks, *imaging.BusyError when decoding stayed busy. Nothing
// is stored when any check fails.
func (u *Materials) Upload(ctx context.Context, accountID, orderID int64, key string, r io.Reader) (Material, error) {
	o, err := u.editableOrder(ctx, accountID, orderID)
	if err != nil {
		return Material{}, err
	}
	k, err := ParseMaterialKey(key)
	if err != nil {
		return Material{}, kernel.FieldErrors{"kind": kernel.CodeInvalid}
	}
	if _, ok := o.Proposal.Service(k.ServiceID); k.ServiceID != 0 && !ok {
		return Material{}, kernel.FieldErrors{"kind": CodeMismatch}
	}
	p, err := material.Process(ctx, r, material.Options{MaxBytes: u.maxBytes, RequireColour: k.ColourRequired(), Limiter: u.images,
		Buffers: u.buffers})
	if err != nil {
		return Material{}, fmt.Errorf("material %s for order %d: %w", key, orderID, err)
	}
	defer p.Release() // files.Put is done with p.Data once it returns
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	m := Material{OrderID: orderID, AccountID: accountID, Key: k, MediaType: p.MediaType, Size: p.Size, SHA256: p.SHA256,
		Width: p.Width, Height: p.Height, BlobKey: fmt.Sprintf("materials/%d/%s", orderID, hex.EncodeToString(b)), CreatedAt: u.now()}
	if err := u.files.Put(ctx, m.BlobKey, p.Data); err != nil {
		return Material{}, fmt.Errorf("store material: %w", err)
	}
	created, err := u.store.CreateMaterial(ctx, m)
	if err != nil {
		return Material{}, errors.Join(fmt.Errorf("record material: %w", err), u.files.Delete(ctx, m.BlobKey))
	}
	return created, nil
}

func (u *Materials) ownOrder(ctx context.Context, accountID, orderID int64) (Order, error) {
	o, err := u.orders.Order(ctx, orderID)
	if err := kernel.OwnedBy(err, o.AccountID, accountID, "order", orderID); err != nil {
		return Order{}, err
	}
	return o, nil
}

func (u *Materials) editableOrder(ctx context.Context, accountID, orderID int64) (Order, error) {
	o, err := u.ownOrder(ctx, accountID, orderID)
	if err == nil && !o.Status.Editable() {
		err = fmt.Errorf("order %d in %s: %w", orderID, o.Status, ErrOrderNotEditable)
	}
	return o, err
}

// List returns the order's materials, oldest first.
func (u *Materials) List(ctx context.Context, accountID, orderID int64) ([]Material, error) {
	if _, err := u.ownOrder(ctx, accountID, orderID); err != nil {
		return nil, err
	}
	return u.store.OrderMaterials(ctx, orderID)
}

// Delete removes a material of an editable order, record first, then its bytes.
func (u *Materials) Delete(ctx context.Context, accountID, orderID, materialID int64) error {
	if _, err := u.editableOrder(ctx, accountID, orderID); err != nil {
		return err
	}
	m, err := u.store.Material(ctx, materialID)
	if err == nil && m.OrderID != orderID {
		err = kernel.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("material %d: %w", materialID, err)
	}
	if err := u.store.DeleteMaterial(ctx, materialID); err != nil {
		return err
	}
	return u.files.Delete(ctx, m.BlobKey)
}

// Content returns a material and its stored bytes to the account that uploaded it.
func (u *Materials) Content(ctx context.Context, accountID, materialID int64) (Material, []byte, error) {
	m, err := u.store.Material(ctx, materialID)
	if err := kernel.OwnedBy(err, m.AccountID, accountID, "material", materialID); err != nil {
		return Material{}, nil, err
	}
	data, err := u.files.Get(ctx, m.BlobKey)
	return m, data, err
}

package verification

import (
	"context"
	"fmt"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"slices"
)

// VerificationOrders reads one order; the filing side's OrderStore satisfies it.
type VerificationOrders interface {
	Order(ctx context.Context, id int64) (filing.Order, error)
}

// OrderParties answers VerificationParties from filing orders: the person must be one the order
// type requires a verification of (VerificationPersons), and the order must belong to the owner.
type OrderParties struct{ orders VerificationOrders }

// NewOrderParties returns the VerificationParties of the filing orders.
func NewOrderParties(orders VerificationOrders) OrderParties { return OrderParties{orders: orders} }

// Party describes the order and the person; another account's order, or a person the order does
// not require a verification of, is ErrNotFound.
func (p OrderParties) Party(ctx context.Context, ownerID, orderID int64, person filing.PersonRef) (VerificationParty, error) {
	o, err := p.orders.Order(ctx, orderID)
	if err != nil {
		return VerificationParty{}, fmt.Errorf("load order %d: %w", orderID, err)
	}
	return partyOf(o, ownerID, person)
}

// partyOf describes order o and the person as Party does, for both a QR request (the order read
// on its own) and a scan (the order read with the consumed token).
func partyOf(o filing.Order, ownerID int64, person filing.PersonRef) (VerificationParty, error) {
	if o.AccountID != ownerID || !slices.Contains(filing.VerificationPersons(o), person) {
		return VerificationParty{}, kernel.ErrNotFound
	}
	party := VerificationParty{OrderType: o.Type, Editable: o.Status.Editable()}
	principal := o.Proposal.Subject.Principal
	if person.Role == filing.RoleServicePrincipal {
		s, ok := o.Proposal.Service(person.ServiceID)
		if !ok {
			return VerificationParty{}, kernel.ErrNotFound
		}
		principal, party.ServiceName = s.Principal, s.Name
	}
	party.PersonName, party.PersonDocType, party.PersonID = principal.Name, principal.DocType, principal.DocNumber
	return party, nil
}

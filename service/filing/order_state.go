package filing

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// OrderType is what a filing order asks for.
type OrderType string

// The twelve order types.
const (
	OrderNewFiling     OrderType = "new_filing"     // 首次备案: a new subject with its first services
	OrderNewService    OrderType = "new_service"    // 新增互联网信息服务 under the filed subject
	OrderNewAccess     OrderType = "new_access"     // 新增接入: services filed through another provider
	OrderChangeSubject OrderType = "change_subject" // 变更主体
	OrderChangeService OrderType = "change_service" // 变更互联网信息服务
	OrderChangeBoth    OrderType = "change_both"    // 变更备案 (subject and services)
	OrderTransfer      OrderType = "transfer"       // 转移备案 to another account
	OrderMigrate       OrderType = "migrate"        // 迁移互联网信息服务 to another subject
	OrderClaim         OrderType = "claim"          // 认领备案 of a record filed before this system
	OrderCancelService OrderType = "cancel_service" // 注销互联网信息服务
	OrderCancelSubject OrderType = "cancel_subject" // 注销主体
	OrderCancelAccess  OrderType = "cancel_access"  // 取消接入
)

var orderTypes = []OrderType{OrderNewFiling, OrderNewService, OrderNewAccess, OrderChangeSubject,
	OrderChangeService, OrderChangeBoth, OrderTransfer, OrderMigrate, OrderClaim, OrderCancelService,
	OrderCancelSubject, OrderCancelAccess}

// OrderTypes lists every order type.
func OrderTypes() []OrderType { return slices.Clone(orderTypes) }

// ParseOrderType accepts exactly the twelve type names.
func ParseOrderType(s string) (OrderType, error) {
	if t := OrderType(s); slices.Contains(orderTypes, t) {
		return t, nil
	}
	return "", fmt.Errorf("unknown order type %q", s)
}

// OrderStatus is where an order stands in its lifecycle.
type OrderStatus string

// Order statuses.
const (
	StatusDraft           OrderStatus = "draft"
	StatusPendingReview   OrderStatus = "pending_review"
	StatusNeedsChanges    OrderStatus = "needs_changes"
	StatusRejected        OrderStatus = "rejected"
	StatusPendingBureau   OrderStatus = "pending_bureau"
	StatusSMSVerifying    OrderStatus = "sms_verifying"
	StatusBureauReviewing OrderStatus = "bureau_reviewing"
	StatusApproved        OrderStatus = "approved"
	StatusBureauRejected  OrderStatus = "bureau_rejected"
	StatusReturned        OrderStatus = "returned"
	StatusAbandoned       OrderStatus = "abandoned"
	StatusExpired         OrderStatus = "expired" // idle too long while waiting on the applicant; data kept
)

var orderStatuses = []OrderStatus{StatusDraft, StatusPendingReview, StatusNeedsChanges, StatusRejected,
	StatusPendingBureau, StatusSMSVerifying, StatusBureauReviewing, StatusApproved, StatusBureauRejected,
	StatusReturned, StatusAbandoned, StatusExpired}

// ParseOrderStatus accepts exactly the status names.
func ParseOrderStatus(s string) (OrderStatus, error) {
	if st := OrderStatus(s); slices.Contains(orderStatuses, st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown order status %q", s)
}

// editableStatuses are the statuses in which the applicant may change an order's content.
var editableStatuses = []OrderStatus{StatusDraft, StatusRejected, StatusNeedsChanges, StatusReturned, StatusBureauRejected}

// Editable reports whether the applicant may change the order's content in this status.
func (s OrderStatus) Editable() bool { return slices.Contains(editableStatuses, s) }

// EditableStatuses lists the statuses Editable accepts, for stores that guard writes with them.
func EditableStatuses() []OrderStatus { return slices.Clone(editableStatuses) }

// InFlight reports whether an order in this status blocks its account from opening another.
// An expired order does not block: reactivating it is refused while another order is in flight.
func (s OrderStatus) InFlight() bool {
	return s != StatusApproved && s != StatusAbandoned && s != StatusExpired
}

// OrderEventName names what happened to an order.
type OrderEventName string

// Order events.
const (
	EventSubmit         OrderEventName = "submit"
	EventWithdraw       OrderEventName = "withdraw"
	EventAbandon        OrderEventName = "abandon"
	EventApprove        OrderEventName = "approve"
	EventReject         OrderEventName = "reject"
	EventRequestChanges OrderEventName = "request_changes"
	EventHandToBureau   OrderEventName = "hand_to_bureau"
	EventSMSVerified    OrderEventName = "sms_verified"
	EventSMSTimeout     OrderEventName = "sms_timeout"
	EventSMSFailed      OrderEventName = "sms_failed"
	EventBureauApprove  OrderEventName = "bureau_approve"
	EventBureauReject   OrderEventName = "bureau_reject"
	EventExpire         OrderEventName = "expire"
	EventReactivate     OrderEventName = "reactivate"
)

// ActorKind says who caused a transition.
type ActorKind string

// Actor kinds: the applicant (account holder), the provider's reviewer, and the system (workers
// enforcing deadlines, the SMS check, the bureau's result as received).
const (
	ActorApplicant ActorKind = "applicant"
	ActorReviewer  ActorKind = "reviewer"
	ActorSystem    ActorKind = "system"
)

// Actor is who caused a transition: a kind and, for people, their account id.
type Actor struct {
	Kind ActorKind
	ID   int64
}

// transition is one row of the order state machine. Types, when set, limits the row to those order
// types; a row with Types wins over a general row with the same from and event.
type transition struct {
	From   OrderStatus
	Event  OrderEventName
	To     OrderStatus
	Actors []ActorKind
	Types  []OrderType
}

var (
	applicant = []ActorKind{ActorApplicant}
	reviewer  = []ActorKind{ActorReviewer}
	system    = []ActorKind{ActorSystem}
	bureau    = []ActorKind{ActorReviewer, ActorSystem}
)

// transitions is THE order state machine. Transfer completes on the
// SMS code with no review; cancel access skips the SMS check.
var transitions = []transition{
	{StatusDraft, EventSubmit, StatusSMSVerifying, applicant, []OrderType{OrderTransfer}},
	{StatusDraft, EventSubmit, StatusPendingReview, applicant, nil},
	{StatusRejected, EventSubmit, StatusPendingReview, applicant, nil},
	{StatusNeedsChanges, EventSubmit, StatusPendingReview, applicant, nil},
	{StatusReturned, EventSubmit, StatusPendingReview, applicant, nil},
	{StatusBureauRejected, EventSubmit, StatusPendingReview, applicant, nil},
	{StatusPendingReview, EventWithdraw, StatusDraft, applicant, nil},
	{StatusPendingBureau, EventWithdraw, StatusDraft, applicant, nil},
	{StatusDraft, EventAbandon, StatusAbandoned, applicant, nil},
	{StatusRejected, EventAbandon, StatusAbandoned, applicant, nil},
	{StatusNeedsChanges, EventAbandon, StatusAbandoned, applicant, nil},
	{StatusReturned, EventAbandon, StatusAbandoned, applicant, nil},
	{StatusBureauRejected, EventAbandon, StatusAbandoned, applicant, nil},
	{StatusPendingReview, EventApprove, StatusPendingBureau, reviewer, nil},
	{StatusPendingReview, EventReject, StatusRejected, reviewer, nil},
	{StatusPendingReview, EventRequestChanges, StatusNeedsChanges, reviewer, nil},
	{StatusPendingBureau, EventHandToBureau, StatusBureauReviewing, reviewer, []OrderType{OrderCancelAccess}},
	{StatusPendingBureau, EventHandToBureau, StatusSMSVerifying, reviewer, nil},
	{StatusSMSVerifying, EventSMSVerified, StatusApproved, system, []OrderType{OrderTransfer}},
	{StatusSMSVerifying, EventSMSVerified, StatusBureauReviewing, system, nil},
	{StatusSMSVerifying, EventSMSTimeout, StatusReturned, system, nil},
	{StatusSMSVerifying, EventSMSFailed, StatusReturned, system, nil},
	{StatusBureauReviewing, EventBureauApprove, StatusApproved, bureau, nil},
	{StatusBureauReviewing, EventBureauReject, StatusBureauRejected, bureau, nil},
	{StatusDraft, EventExpire, StatusExpired, system, nil},
	{StatusNeedsChanges, EventExpire, StatusExpired, system, nil},
	{StatusRejected, EventExpire, StatusExpired, system, nil},
	{StatusReturned, EventExpire, StatusExpired, system, nil},
	{StatusBureauRejected, EventExpire, StatusExpired, system, nil},
	{StatusExpired, EventReactivate, StatusDraft, applicant, nil},
	{StatusExpired, EventAbandon, StatusAbandoned, applicant, nil},
}

// Transitions returns a copy of the state machine's rows as (from, event, to) triples for one
// order type, e.g. for documentation and for checking event logs.
func Transitions(t OrderType) []TransitionRow {
	var out []TransitionRow
	seen := map[[2]string]bool{}
	for _, tr := range transitions {
		k := [2]string{string(tr.From), string(tr.Event)}
		if seen[k] || (tr.Types != nil && !slices.Contains(tr.Types, t)) {
			continue
		}
		seen[k] = true
		out = append(out, TransitionRow{From: tr.From, Event: tr.Event, To: tr.To, Actors: slices.Clone(tr.Actors)})
	}
	return out
}

// TransitionRow is one allowed transition as Transitions reports it.
type TransitionRow struct {
	From   OrderStatus
	Event  OrderEventName
	To     OrderStatus
	Actors []ActorKind
}

// lookupTransition finds the row for an order of type t in status from receiving event.
func lookupTransition(t OrderType, from OrderStatus, event OrderEventName) (transition, bool) {
	for _, tr := range transitions {
		if tr.From == from && tr.Event == event && (tr.Types == nil || slices.Contains(tr.Types, t)) {
			return tr, true
		}
	}
	return transition{}, false
}

// ErrTransitionNotAllowed means the order's status, type or the actor does not allow the event.
var ErrTransitionNotAllowed = errors.New("transition not allowed")

// OrderEvent is one row of an order's history: a transition and who made it.
type OrderEvent struct {
	ID      int64
	OrderID int64
	Event   OrderEventName
	Actor   Actor
	From    OrderStatus
	To      OrderStatus
	Reasons []string // reason codes from the catalogue (reviewer decisions)
	Comment string
	// FieldComments are a reviewer's notes on single fields of the proposal.
	FieldComments []FieldComment
	At            time.Time
}

// Transition applies event for actor at now, or returns ErrTransitionNotAllowed. The event row is
// kept on the order until the store writes it in the same transaction as the new status.
func (o *Order) Transition(event OrderEventName, actor Actor, now time.Time) error {
	return o.TransitionWith(event, actor, now, nil, "")
}

// TransitionWith is Transition with reason codes and a comment recorded on the event.
func (o *Order) TransitionWith(event OrderEventName, actor Actor, now time.Time, reasons []string, comment string) error {
	tr, ok := lookupTransition(o.Type, o.Status, event)
	if !ok || !slices.Contains(tr.Actors, actor.Kind) {
		return fmt.Errorf("order %d: %s from %s by %s: %w", o.ID, event, o.Status, actor.Kind, ErrTransitionNotAllowed)
	}
	o.pending = append(o.pending, OrderEvent{OrderID: o.ID, Event: event, Actor: actor, From: o.Status, To: tr.To,
		Reasons: slices.Clone(reasons), Comment: comment, At: now})
	o.Status = tr.To
	o.UpdatedAt = now
	if event == EventSubmit {
		t := now
		o.SubmittedAt = &t
	}
	o.notifyTransition(event, reasons, comment, now)
	return nil
}

// AnnotateLastEvent records field comments on the event the last transition made.
func (o *Order) AnnotateLastEvent(comments []FieldComment) {
	if n := len(o.pending); n > 0 {
		o.pending[n-1].FieldComments = slices.Clone(comments)
	}
}

// TakeEvents returns the events made since the order was loaded and forgets them; OrderStore.Update
// calls it to write them with the order.
func (o *Order) TakeEvents() []OrderEvent {
	ev := o.pending
	o.pending = nil
	return ev
}

// errNothingToDo aborts an Update whose function found nothing to change.
var ErrNothingToDo = errors.New("nothing to do")

package filing

import (
	"errors"
	"slices"
	"testing"
)

var allActors = []ActorKind{ActorApplicant, ActorReviewer, ActorSystem}

// TestTransitionTable walks every row of the table for every order type: the listed actors may
// make it, the others may not, and it records one event.
func TestTransitionTable(t *testing.T) {
	for _, typ := range OrderTypes() {
		for _, row := range Transitions(typ) {
			for _, actor := range allActors {
				o := Order{ID: 1, Type: typ, Status: row.From}
				err := o.Transition(row.Event, Actor{Kind: actor}, testToday)
				if !slices.Contains(row.Actors, actor) {
					if !errors.Is(err, ErrTransitionNotAllowed) || o.Status != row.From || len(o.TakeEvents()) != 0 {
						t.Errorf("%s %s→%s by %s: allowed", typ, row.From, row.Event, actor)
					}
					continue
				}
				ev := o.TakeEvents()
				if err != nil || o.Status != row.To || len(ev) != 1 || ev[0].From != row.From || ev[0].To != row.To || ev[0].Event != row.Event {
					t.Errorf("%s %s -%s-> %s by %s: err %v, status %s, events %+v", typ, row.From, row.Event, row.To, actor, err, o.Status, ev)
				}
			}
		}
	}
}

func TestTransitionsDifferByOrderType(t *testing.T) {
	tests := []struct {
		typ      OrderType
		from     OrderStatus
		event    OrderEventName
		actor    ActorKind
		want     OrderStatus
		refusedF bool
	}{
		{OrderNewFiling, StatusDraft, EventSubmit, ActorApplicant, StatusPendingReview, false},
		{OrderTransfer, StatusDraft, EventSubmit, ActorApplicant, StatusSMSVerifying, false},
		{OrderTransfer, StatusSMSVerifying, EventSMSVerified, ActorSystem, StatusApproved, false},
		{OrderNewFiling, StatusSMSVerifying, EventSMSVerified, ActorSystem, StatusBureauReviewing, false},
		{OrderCancelAccess, StatusPendingBureau, EventHandToBureau, ActorReviewer, StatusBureauReviewing, false},
		{OrderCancelService, StatusPendingBureau, EventHandToBureau, ActorReviewer, StatusSMSVerifying, false},
		{OrderNewFiling, StatusSMSVerifying, EventSMSTimeout, ActorSystem, StatusReturned, false},
		{OrderNewFiling, StatusReturned, EventSubmit, ActorApplicant, StatusPendingReview, false},
		{OrderNewFiling, StatusBureauReviewing, EventWithdraw, ActorApplicant, "", true},
		{OrderNewFiling, StatusBureauReviewing, EventAbandon, ActorApplicant, "", true},
		{OrderNewFiling, StatusApproved, EventAbandon, ActorApplicant, "", true},
		{OrderNewFiling, StatusAbandoned, EventSubmit, ActorApplicant, "", true},
		{OrderNewFiling, StatusPendingReview, EventApprove, ActorApplicant, "", true},
		{OrderNewFiling, StatusDraft, "teleport", ActorSystem, "", true},
	}
	for _, tt := range tests {
		o := Order{Type: tt.typ, Status: tt.from}
		err := o.Transition(tt.event, Actor{Kind: tt.actor}, testToday)
		if tt.refusedF != (err != nil) || (!tt.refusedF && o.Status != tt.want) {
			t.Errorf("%s %s -%s-> by %s: %v, status %s", tt.typ, tt.from, tt.event, tt.actor, err, o.Status)
		}
	}
}

// TestEveryStatusIsReachable checks the table has no dead status for a first filing.
func TestEveryStatusIsReachable(t *testing.T) {
	seen := map[OrderStatus]bool{StatusDraft: true}
	rows := Transitions(OrderNewFiling)
	for changed := true; changed; {
		changed = false
		for _, r := range rows {
			if seen[r.From] && !seen[r.To] {
				seen[r.To], changed = true, true
			}
		}
	}
	for _, s := range orderStatuses {
		if !seen[s] {
			t.Errorf("%s is unreachable from draft", s)
		}
	}
}

func TestParseOrderEnums(t *testing.T) {
	for _, typ := range OrderTypes() {
		if got, err := ParseOrderType(string(typ)); err != nil || got != typ {
			t.Errorf("ParseOrderType(%s) = %s, %v", typ, got, err)
		}
	}
	if len(OrderTypes()) != 12 {
		t.Errorf("%d order types", len(OrderTypes()))
	}
	for _, s := range orderStatuses {
		if got, err := ParseOrderStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseOrderStatus(%s) = %s, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "New_Filing", "Draft", "approved "} {
		if _, err := ParseOrderType(bad); err == nil {
			t.Errorf("ParseOrderType(%q) accepted", bad)
		}
		if _, err := ParseOrderStatus(bad); err == nil {
			t.Errorf("ParseOrderStatus(%q) accepted", bad)
		}
	}
}

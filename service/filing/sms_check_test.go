package filing

import (
	"slices"
	"testing"
	"time"
)

func TestSMSCheckRecipientsPerOrderType(t *testing.T) {
	order := func(typ OrderType, subjectPhone string, servicePhones ...string) Order {
		o := Order{ID: 7, Type: typ, Status: StatusSMSVerifying}
		o.Proposal.Subject.Principal.Mobile = subjectPhone
		for i, p := range servicePhones {
			o.Proposal.Services = append(o.Proposal.Services, ServiceInfo{ID: int64(i + 1), Principal: Person{Mobile: p}})
		}
		return o
	}
	tests := []struct {
		name  string
		order Order
		want  [][]string // persons per code, in sending order
	}{
		{"first filing: both principals", order(OrderNewFiling, "13800000001", "13800000002"),
			[][]string{{"subject_principal"}, {"service_principal:1"}}},
		{"one SMS when they share a phone", order(OrderNewFiling, "13800000001", "13800000001"),
			[][]string{{"subject_principal", "service_principal:1"}}},
		{"new service: its principal", order(OrderNewService, "13800000001", "13800000002"), [][]string{{"service_principal:1"}}},
		{"change subject: the subject principal", order(OrderChangeSubject, "13800000001"), [][]string{{"subject_principal"}}},
		{"change both", order(OrderChangeBoth, "13800000001", "13800000002"), [][]string{{"subject_principal"}, {"service_principal:1"}}},
		{"cancel subject", order(OrderCancelSubject, "13800000001", "13800000002"), [][]string{{"subject_principal"}}},
		{"cancel service", order(OrderCancelService, "13800000001", "13800000002"), [][]string{{"service_principal:1"}}},
		{"transfer: the account holder", order(OrderTransfer, "13800000001"), [][]string{{"account_holder"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.order
			if err := o.StartSMSCheck([]byte("k"), "13900000009", time.Unix(0, 0)); err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, c := range o.SMS.Checks {
				got = append(got, c.Persons)
			}
			if !slices.EqualFunc(got, tc.want, slices.Equal) || len(o.TakeNotifications()) != len(tc.want) {
				t.Fatalf("codes for %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCancelAccessSkipsTheSMSCheck(t *testing.T) {
	o := Order{ID: 7, Type: OrderCancelAccess, Status: StatusPendingBureau}
	if err := o.Transition(EventHandToBureau, Actor{Kind: ActorReviewer}, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusBureauReviewing {
		t.Fatalf("cancel access handed to the bureau is %s, want bureau_reviewing", o.Status)
	}
	if err := o.StartSMSCheck([]byte("k"), "", time.Unix(0, 0)); err == nil {
		t.Fatal("an SMS check started for cancel access")
	}
}

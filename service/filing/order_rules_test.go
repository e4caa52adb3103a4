package filing

import (
	"errors"
	"github.com/beian/beian/service/kernel"
	"testing"
)

// TestCheckCreate covers opening orders: per order type, allowed and refused cases (in-flight
// orders, one subject per account, shell subjects in the provinces that refuse them,
// one service per cancel_service, transfer and migration targets, the migration provinces).
func TestCheckCreate(t *testing.T) {
	gd := subjectOf(enterprise("44"))
	live := []FiledService{filedSvc(21, website(1, "example.cn", otherPerson)), filedSvc(22, website(2, "example.com.cn", otherPerson))}
	ind := subjectOf(individual("44", "440106"))
	target := func(s *Subject, busy int64) *TargetFacts {
		return &TargetFacts{AccountID: 2, Subject: s, InFlight: busy}
	}
	tests := []struct {
		name   string
		facts  CreateFacts
		reason string // "" allowed, "IN_PROGRESS" for *OrderInProgressError, else the RuleError reason
	}{
		{"new_filing on a fresh account", CreateFacts{Type: OrderNewFiling}, ""},
		{"new_filing with an order in flight", CreateFacts{Type: OrderNewFiling, InFlight: 7}, "IN_PROGRESS"},
		{"new_filing with a subject", CreateFacts{Type: OrderNewFiling, Subject: gd, Services: live}, ReasonSubjectExists},
		{"claim on a fresh account", CreateFacts{Type: OrderClaim}, ""},
		{"claim with a subject", CreateFacts{Type: OrderClaim, Subject: gd}, ReasonSubjectExists},
		{"new_access without a subject here", CreateFacts{Type: OrderNewAccess}, ""},
		{"new_access with a subject", CreateFacts{Type: OrderNewAccess, Subject: gd, Services: live}, ""},
		{"new_access in flight", CreateFacts{Type: OrderNewAccess, InFlight: 3}, "IN_PROGRESS"},
		{"new_service", CreateFacts{Type: OrderNewService, Subject: gd, Services: live}, ""},
		{"new_service without a subject", CreateFacts{Type: OrderNewService}, ReasonNoSubject},
		{"new_service on a Guangdong shell", CreateFacts{Type: OrderNewService, Subject: gd}, ReasonShellSubject},
		{"new_service on a Beijing shell", CreateFacts{Type: OrderNewService, Subject: subjectOf(enterprise("11"))}, ""},
		{"new_service on a Guizhou shell", CreateFacts{Type: OrderNewService, Subject: subjectOf(enterprise("52"))}, ""},
		{"new_service on a Hunan shell", CreateFacts{Type: OrderNewService, Subject: subjectOf(enterprise("43"))}, ReasonShellSubject},
		{"new_service in flight", CreateFacts{Type: OrderNewService, Subject: gd, Services: live, InFlight: 4}, "IN_PROGRESS"},
		{"change_subject", CreateFacts{Type: OrderChangeSubject, Subject: gd, Services: live}, ""},
		{"change_subject in flight", CreateFacts{Type: OrderChangeSubject, Subject: gd, InFlight: 4}, "IN_PROGRESS"},
		{"change_subject without a subject", CreateFacts{Type: OrderChangeSubject}, ReasonNoSubject},
		{"change_service", CreateFacts{Type: OrderChangeService, Subject: gd, Services: live}, ""},
		{"change_service on a shell", CreateFacts{Type: OrderChangeService, Subject: gd}, ReasonNoLiveService},
		{"change_both", CreateFacts{Type: OrderChangeBoth, Subject: gd, Services: live}, ""},
		{"change_both on a shell", CreateFacts{Type: OrderChangeBoth, Subject: gd}, ReasonNoLiveService},
		{"change_both in flight", CreateFacts{Type: OrderChangeBoth, Subject: gd, Services: live, InFlight: 9}, "IN_PROGRESS"},
		{"transfer", CreateFacts{Type: OrderTransfer, Subject: gd, Services: live, Target: target(nil, 0)}, ""},
		{"transfer in flight", CreateFacts{Type: OrderTransfer, Subject: gd, InFlight: 5, Target: target(nil, 0)}, "IN_PROGRESS"},
		{"transfer to an account with a subject", CreateFacts{Type: OrderTransfer, Subject: gd, Target: target(ind, 0)}, ReasonTargetHasSubject},
		{"transfer to a busy account", CreateFacts{Type: OrderTransfer, Subject: gd, Target: target(nil, 8)}, ReasonTargetBusy},
		{"transfer to nobody", CreateFacts{Type: OrderTransfer, Subject: gd, Target: &TargetFacts{}}, ReasonTargetUnknown},
		{"transfer to oneself", CreateFacts{Type: OrderTransfer, Subject: gd, Target: &TargetFacts{AccountID: 1, Self: true}}, ReasonTargetSelf},
		{"transfer without a subject", CreateFacts{Type: OrderTransfer, Target: target(nil, 0)}, ReasonNoSubject},
		{"migrate within Guangdong", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21}, Target: target(subjectOf(enterprise("44")), 0)}, ""},
		{"migrate Guangdong to Shanghai", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21, 22}, Target: target(subjectOf(enterprise("31")), 0)}, ""},
		{"migrate to an individual", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21}, Target: target(ind, 0)}, ReasonMigrationIndividual},
		{"migrate from Inner Mongolia", CreateFacts{Type: OrderMigrate, Subject: subjectOf(enterprise("15")), Services: live, ServiceIDs: []int64{21}, Target: target(subjectOf(enterprise("44")), 0)}, ReasonMigrationProvince},
		{"migrate to Qinghai", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21}, Target: target(subjectOf(enterprise("63")), 0)}, ReasonMigrationProvince},
		{"migrate to an account without a subject", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21}, Target: target(nil, 0)}, ReasonTargetNoSubject},
		{"migrate to a busy account", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, ServiceIDs: []int64{21}, Target: target(subjectOf(enterprise("44")), 3)}, ReasonTargetBusy},
		{"migrate nothing", CreateFacts{Type: OrderMigrate, Subject: gd, Services: live, Target: target(subjectOf(enterprise("44")), 0)}, ReasonOneService},
		{"migrate a shell", CreateFacts{Type: OrderMigrate, Subject: gd, ServiceIDs: []int64{21}, Target: target(subjectOf(enterprise("44")), 0)}, ReasonNoLiveService},
		{"cancel_service one", CreateFacts{Type: OrderCancelService, Subject: gd, Services: live, ServiceIDs: []int64{22}}, ""},
		{"cancel_service two", CreateFacts{Type: OrderCancelService, Subject: gd, Services: live, ServiceIDs: []int64{21, 22}}, ReasonOneService},
		{"cancel_service none", CreateFacts{Type: OrderCancelService, Subject: gd, Services: live}, ReasonOneService},
		{"cancel_service unknown", CreateFacts{Type: OrderCancelService, Subject: gd, Services: live, ServiceIDs: []int64{99}}, ReasonServiceNotFiled},
		{"cancel_service in flight", CreateFacts{Type: OrderCancelService, Subject: gd, Services: live, ServiceIDs: []int64{21}, InFlight: 2}, "IN_PROGRESS"},
		{"cancel_subject", CreateFacts{Type: OrderCancelSubject, Subject: gd, Services: live}, ""},
		{"cancel_subject of a shell", CreateFacts{Type: OrderCancelSubject, Subject: gd}, ""},
		{"cancel_subject without a subject", CreateFacts{Type: OrderCancelSubject}, ReasonNoSubject},
		{"cancel_subject in flight", CreateFacts{Type: OrderCancelSubject, Subject: gd, InFlight: 2}, "IN_PROGRESS"},
		{"cancel_access of two", CreateFacts{Type: OrderCancelAccess, Subject: gd, Services: live, ServiceIDs: []int64{21, 22}}, ""},
		{"cancel_access named twice", CreateFacts{Type: OrderCancelAccess, Subject: gd, Services: live, ServiceIDs: []int64{21, 21}}, ReasonServiceNotFiled},
		{"cancel_access of a shell", CreateFacts{Type: OrderCancelAccess, Subject: gd, ServiceIDs: []int64{21}}, ReasonNoLiveService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertRule(t, CheckCreate(tt.facts), tt.reason)
		})
	}
}

func assertRule(t *testing.T, err error, want string) {
	t.Helper()
	var busy *OrderInProgressError
	var rule *RuleError
	var fe kernel.FieldErrors
	switch {
	case want == "" && err != nil:
		t.Fatalf("refused: %v", err)
	case want == "IN_PROGRESS" && (!errors.As(err, &busy) || !errors.Is(err, ErrOrderInProgress) || busy.OrderID == 0):
		t.Fatalf("got %v, want an *OrderInProgressError naming the order", err)
	case want == "IN_PROGRESS" || want == "":
	case errors.As(err, &fe):
		if _, ok := fe[want]; !ok {
			t.Fatalf("got %v, want a field error on %s", err, want)
		}
	case !errors.As(err, &rule) || rule.Reason != want || !errors.Is(err, ErrOrderTypeNotAllowed) || rule.Message() == "":
		t.Fatalf("got %v, want rule %s", err, want)
	}
}

// TestCheckChange covers change orders: province, certificate number, nature and
// domains are immutable; Hunan/Guizhou principal changes, individuals' contact changes and an
// enterprise's shared-principal contact changes need change_both; each change type stays in scope.
func TestCheckChange(t *testing.T) {
	type edit func(p *Proposal)
	gdFiled, gdSvc := enterprise("44"), website(1, "example.cn", otherPerson)
	shared := website(1, "example.cn", enterprise("44").Principal) // the subject principal also leads the site
	indFiled := individual("44", "440106")
	indSvc := website(1, "example.cn", indFiled.Principal)
	tests := []struct {
		name   string
		typ    OrderType
		filed  SubjectInfo
		svc    ServiceInfo
		change edit
		want   string // "" allowed; a field key for FieldErrors; else the RuleError reason
	}{
		{"address change as change_subject", OrderChangeSubject, gdFiled, gdSvc, func(p *Proposal) { p.Subject.ContactAddress = "新地址8号" }, ""},
		{"province is immutable", OrderChangeSubject, gdFiled, gdSvc, func(p *Proposal) { p.Subject.Province = "43" }, "subject.province"},
		{"certificate number is immutable", OrderChangeBoth, gdFiled, gdSvc, func(p *Proposal) { p.Subject.CertNumber = "913502000728319549" }, "subject.cert_number"},
		{"individual cannot become a unit", OrderChangeBoth, indFiled, indSvc, func(p *Proposal) { p.Subject.Nature = 4 }, "subject.nature"},
		{"domain is immutable", OrderChangeService, gdFiled, gdSvc, func(p *Proposal) { p.Services[0].Domains = []string{"example.net"} }, "services.1.domains"},
		{"a change cannot add services", OrderChangeService, gdFiled, gdSvc, func(p *Proposal) {
			p.Services = append(p.Services, website(2, "example.org", otherPerson))
		}, "services.2"},
		{"service name change as change_service", OrderChangeService, gdFiled, gdSvc, func(p *Proposal) { p.Services[0].Name = "示例新网站" }, ""},
		{"change_subject cannot change services", OrderChangeSubject, gdFiled, gdSvc, func(p *Proposal) { p.Services[0].Name = "示例新网站" }, ReasonChangeOutsideType},
		{"change_service cannot change the subject", OrderChangeService, gdFiled, gdSvc, func(p *Proposal) { p.Subject.CertAddress = "新注册地址" }, ReasonChangeOutsideType},
		{"both in change_both", OrderChangeBoth, gdFiled, gdSvc, func(p *Proposal) { p.Subject.CertAddress = "新注册地址"; p.Services[0].Name = "示例新网站" }, ""},
		{"Guangdong principal change as change_subject", OrderChangeSubject, gdFiled, gdSvc, func(p *Proposal) { p.Subject.Principal = otherPerson }, ""},
		{"Hunan principal change as change_subject", OrderChangeSubject, enterprise("43"), gdSvc, func(p *Proposal) { p.Subject.Principal = otherPerson }, ReasonNeedsChangeBoth},
		{"Hunan principal change as change_both", OrderChangeBoth, enterprise("43"), gdSvc, func(p *Proposal) { p.Subject.Principal = otherPerson }, ""},
		{"Guizhou principal change as change_subject", OrderChangeSubject, enterprise("52"), gdSvc, func(p *Proposal) { p.Subject.Principal = otherPerson }, ReasonNeedsChangeBoth},
		{"Guizhou principal change as change_both", OrderChangeBoth, enterprise("52"), gdSvc, func(p *Proposal) { p.Subject.Principal = otherPerson }, ""},
		{"individual e-mail change as change_subject", OrderChangeSubject, indFiled, indSvc, func(p *Proposal) { p.Subject.Principal.Email = "new@example.com" }, ReasonNeedsChangeBoth},
		{"individual emergency phone change as change_service", OrderChangeService, indFiled, indSvc, func(p *Proposal) { p.Services[0].Principal.EmergencyPhone = "13900139000" }, ReasonNeedsChangeBoth},
		{"individual contact change as change_both", OrderChangeBoth, indFiled, indSvc, func(p *Proposal) {
			p.Subject.Principal.Mobile, p.Services[0].Principal.Mobile = "13900139000", "13900139000"
		}, ""},
		{"individual address change as change_subject", OrderChangeSubject, indFiled, indSvc, func(p *Proposal) { p.Subject.ContactAddress = "新地址9号" }, ""},
		{"shared-principal enterprise contact change as change_subject", OrderChangeSubject, gdFiled, shared, func(p *Proposal) { p.Subject.Principal.Email = "new@example.com" }, ReasonNeedsChangeBoth},
		{"shared-principal enterprise contact change as change_service", OrderChangeService, gdFiled, shared, func(p *Proposal) { p.Services[0].Principal.Mobile = "13900139000" }, ReasonNeedsChangeBoth},
		{"shared-principal enterprise contact change as change_both", OrderChangeBoth, gdFiled, shared, func(p *Proposal) { p.Subject.Principal.Email = "new@example.com" }, ""},
		{"separate principals: enterprise contact change as change_subject", OrderChangeSubject, gdFiled, gdSvc, func(p *Proposal) { p.Subject.Principal.Email = "new@example.com" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := tt.svc
			svc.FiledID = 21
			p := Proposal{Subject: tt.filed, Services: []ServiceInfo{svc}, NextServiceID: 2}.Clone()
			tt.change(&p)
			filed := map[int64]ServiceInfo{21: filedSvc(21, tt.svc).Info}
			assertRule(t, CheckChange(tt.typ, tt.filed, filed, p), tt.want)
		})
	}
}

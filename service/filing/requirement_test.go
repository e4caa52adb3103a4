package filing

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/service/catalog"
)

func keysOf(r Requirements, kind RequirementKind) []string {
	var out []string
	for _, it := range r.Items {
		if it.Kind == kind {
			out = append(out, it.Key+" "+it.Code)
		}
	}
	return out
}

func orderWith(t OrderType, s SubjectInfo, svcs ...ServiceInfo) Order {
	return Order{ID: 1, AccountID: 1, Type: t, Status: StatusDraft,
		Proposal: Proposal{Subject: s, Services: svcs, NextServiceID: int64(len(svcs) + 1)}}
}

// TestRequiredMaterialsComeFromTheTable checks the province-, nature- and type-specific materials.
func TestRequiredMaterialsComeFromTheTable(t *testing.T) {
	gdInd := individual("44", "440106")
	gdNonLocal := individual("44", "430102")
	hainan := enterprise("46")
	hainan.PrincipalIsLegalRep = false
	preApproved := website(1, "example.cn", otherPerson)
	preApproved.PreApprovals = []int{1, 4}
	hunanFiled := enterprise("43")
	hunanNew := enterprise("43")
	hunanNew.Principal = otherPerson
	renamed := enterprise("44")
	renamed.Name = "示例科技（广州）有限公司"
	tests := []struct {
		name  string
		order Order
		filed *Subject
		want  []string
	}{
		{"Guangdong enterprise", orderWith(OrderNewFiling, enterprise("44"), website(1, "example.cn", otherPerson)), nil,
			[]string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"}},
		{"Guangdong enterprise, one principal", orderWith(OrderNewFiling, enterprise("44"), website(1, "example.cn", enterprise("44").Principal)), nil,
			[]string{"subject_certificate", "principal_id", "commitment_letter"}},
		{"Jiangsu enterprise", orderWith(OrderNewFiling, enterprise("32"), website(1, "example.cn", enterprise("32").Principal)), nil,
			[]string{"subject_certificate", "principal_id", "jiangsu_commitment_letter", "jiangsu_responsibility_letter"}},
		{"Guangdong local individual", orderWith(OrderNewFiling, gdInd, website(1, "example.cn", gdInd.Principal)), nil,
			[]string{"principal_id", "commitment_letter"}},
		{"Guangdong non-local individual", orderWith(OrderNewFiling, gdNonLocal, website(1, "example.cn", gdNonLocal.Principal)), nil,
			[]string{"principal_id", "commitment_letter", "residence_permit"}},
		{"Hainan principal not the legal representative", orderWith(OrderNewFiling, hainan, website(1, "example.cn", hainan.Principal)), nil,
			[]string{"subject_certificate", "principal_id", "authorization_letter"}},
		{"pre-approval items", orderWith(OrderNewService, enterprise("11"), preApproved), subjectOf(enterprise("11")),
			[]string{"service_principal_id:1", "preapproval_document:1:1", "preapproval_document:1:4"}},
		{"Hunan principal replaced in change_both", orderWith(OrderChangeBoth, hunanNew), subjectOf(hunanFiled),
			[]string{"subject_certificate", "principal_id", "authorization_letter"}},
		{"renamed company", orderWith(OrderChangeSubject, renamed), subjectOf(enterprise("44")),
			[]string{"subject_certificate", "principal_id", "commitment_letter", "registration_change_letter"}},
		{"cancel access", orderWith(OrderCancelAccess, enterprise("44"), website(1, "example.cn", otherPerson)), subjectOf(enterprise("44")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &reqContext{order: tt.order, rules: catalog.RulesFor(tt.order.Province()), filed: tt.filed, today: testToday}
			var got []string
			for _, k := range requiredMaterials(c) {
				got = append(got, k.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("materials\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestFieldChecksApplyProvinceRules(t *testing.T) {
	tibetan := individual("54", "440106")
	gdNotRep := enterprise("44")
	gdNotRep.PrincipalIsLegalRep = false
	hunan := website(1, "example.cn", otherPerson)
	hunan.Domains = []string{"example.cn", "example.com.cn"}
	reserved := website(1, "example.cn", otherPerson)
	reserved.Name = "中国示例网"
	badSite := website(1, "example.cn", otherPerson)
	badSite.Domains, badSite.IPs, badSite.HomeURL = []string{"www.example.cn"}, []string{"300.1.1.1"}, "ftp://example.cn"
	app := ServiceInfo{ID: 1, Kind: KindApp, Name: "示例应用", ContentTypes: 128, Languages: []int{1}, Principal: otherPerson,
		Platforms: []AppPlatform{{Platform: "android", Package: "com.example.app", PublicKey: "MIIB", MD5: "zz"}}}
	expired := otherPerson
	expired.DocLongTerm, expired.DocValidTo = false, "2020-01-01"
	tests := []struct {
		name  string
		order Order
		want  []string
	}{
		{"complete Guangdong enterprise", orderWith(OrderNewFiling, enterprise("44"), website(1, "example.cn", otherPerson)), nil},
		{"Tibet refuses non-local individuals", orderWith(OrderNewFiling, tibetan, website(1, "example.cn", tibetan.Principal)),
			[]string{"subject.cert_number NON_LOCAL"}},
		{"Guangdong wants the legal representative", orderWith(OrderNewFiling, gdNotRep, website(1, "example.cn", otherPerson)),
			[]string{"subject.principal_is_legal_rep MUST_BE_LEGAL_REP"}},
		{"Hunan takes one domain per order", orderWith(OrderNewFiling, enterprise("43"), hunan), []string{"services TOO_MANY"}},
		{"reserved prefix for an enterprise", orderWith(OrderNewFiling, enterprise("44"), reserved), []string{"services.1.name RESERVED_PREFIX"}},
		{"bad website fields", orderWith(OrderNewFiling, enterprise("44"), badSite),
			[]string{"services.1.domains INVALID", "services.1.home_url INVALID", "services.1.ips INVALID"}},
		{"bad App digest", orderWith(OrderNewFiling, enterprise("44"), app), []string{"services.1.platforms.0.md5 INVALID"}},
		{"expired principal ID", orderWith(OrderNewFiling, enterprise("44"), website(1, "example.cn", expired)),
			[]string{"services.1.principal.doc_valid_to EXPIRED"}},
		{"no services", orderWith(OrderNewFiling, enterprise("44")), []string{"services MISSING"}},
		{"claim needs the filing number", orderWith(OrderClaim, enterprise("44"), website(1, "example.cn", otherPerson)),
			[]string{"subject.filing_number MISSING"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := EvaluateRequirements(RequirementInput{Order: tt.order, Today: testToday})
			if got := keysOf(r, NeedField); !slices.Equal(got, tt.want) {
				t.Fatalf("fields\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestVerificationsAndAgreementsPerOrderType(t *testing.T) {
	gd := enterprise("44")
	one := website(1, "example.cn", otherPerson)
	one.FiledID = 21
	filed := subjectOf(gd)
	tests := []struct {
		name   string
		order  Order
		svcs   []FiledService
		verify []string
		agree  []string
	}{
		{"new_filing", orderWith(OrderNewFiling, gd, one), nil, []string{"subject_principal MISSING", "service_principal:1 MISSING"}, nil},
		{"new_service", orderWith(OrderNewService, gd, one), nil, []string{"service_principal:1 MISSING"}, nil},
		{"change_subject", orderWith(OrderChangeSubject, gd, one), nil, []string{"subject_principal MISSING"}, nil},
		{"cancel_access", orderWith(OrderCancelAccess, gd, one), []FiledService{filedSvc(21, one), filedSvc(22, one)}, nil,
			[]string{"cancel_irreversible MISSING"}},
		{"cancel_service of the last service", orderWith(OrderCancelService, gd, one), []FiledService{filedSvc(21, one)},
			[]string{"service_principal:1 MISSING"}, []string{"cancel_irreversible MISSING", "shell_subject MISSING"}},
		{"cancel_subject", orderWith(OrderCancelSubject, gd, one), []FiledService{filedSvc(21, one)},
			[]string{"subject_principal MISSING"}, []string{"cancel_irreversible MISSING"}},
		{"transfer", orderWith(OrderTransfer, gd), nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := RequirementInput{Order: tt.order, Filed: filed, FiledServices: tt.svcs, Today: testToday}
			r := EvaluateRequirements(in)
			if got := keysOf(r, NeedVerification); !slices.Equal(got, tt.verify) {
				t.Errorf("verifications %v, want %v", got, tt.verify)
			}
			if got := keysOf(r, NeedAgreement); !slices.Equal(got, tt.agree) {
				t.Errorf("agreements %v, want %v", got, tt.agree)
			}
			in.Confirmed = confirmEveryone(tt.order)
			in.Order.Proposal.Agreements = []string{AgreeCancelIrreversible, AgreeShellSubject}
			r = EvaluateRequirements(in)
			if len(keysOf(r, NeedVerification))+len(keysOf(r, NeedAgreement)) != 0 {
				t.Errorf("still missing after confirming and agreeing: %v", r.Items)
			}
		})
	}
}

func TestMaterialKeys(t *testing.T) {
	for _, s := range []string{"commitment_letter", "service_principal_id:3", "preapproval_document:2:13"} {
		k, err := ParseMaterialKey(s)
		if err != nil || k.String() != s {
			t.Errorf("%s: %v %v", s, k, err)
		}
	}
	for _, s := range []string{"", "selfie", "commitment_letter:1", "service_principal_id", "service_principal_id:0",
		"service_principal_id:01", "preapproval_document:1", "service_principal_id:-1", "service_principal_id:1:2"} {
		if _, err := ParseMaterialKey(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func FuzzParseMaterialKey(f *testing.F) {
	for _, s := range []string{"commitment_letter", "service_principal_id:3", "preapproval_document:2:13", "x:1:2:3", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseMaterialKey(s)
		if err != nil {
			return
		}
		if k.String() != s {
			t.Fatalf("%q parses to %+v which prints as %q", s, k, k.String())
		}
		if strings.Count(s, ":") > 2 {
			t.Fatalf("%q accepted with too many parts", s)
		}
	})
}

// confirmEveryone is a confirmed verification of every person the order names now.
func confirmEveryone(o Order) []Confirmation {
	var out []Confirmation
	for _, ref := range VerificationPersons(o) {
		p, _ := PersonOf(o, ref)
		out = append(out, Confirmation{Person: ref, Who: VerifiedPersonOf(p)})
	}
	return out
}

// TestVerifiedPersonMustBeTheFiledPerson: a confirmation counts only for the person it verified;
// a new name or document for the slot reopens the requirement with VERIFIED_PERSON_CHANGED, and
// putting the verified person back closes it again.
func TestVerifiedPersonMustBeTheFiledPerson(t *testing.T) {
	gd := enterprise("44")
	o := orderWith(OrderNewFiling, gd, website(1, "example.cn", gd.Principal))
	confirmed := confirmEveryone(o)
	renamed := gd.Principal
	renamed.Name = "张三"
	otherType := gd.Principal
	otherType.DocType = 3
	tests := []struct {
		name      string
		principal Person
		want      []string
	}{
		{"the verified person", gd.Principal, nil},
		{"another person", otherPerson, []string{"subject_principal VERIFIED_PERSON_CHANGED"}},
		{"same document, another name", renamed, []string{"subject_principal VERIFIED_PERSON_CHANGED"}},
		{"same number, another document type", otherType, []string{"subject_principal VERIFIED_PERSON_CHANGED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := o
			cur.Proposal = o.Proposal.Clone()
			cur.Proposal.Subject.Principal = tt.principal
			r := EvaluateRequirements(RequirementInput{Order: cur, Confirmed: confirmed, Today: testToday})
			if got := keysOf(r, NeedVerification); !slices.Equal(got, tt.want) {
				t.Errorf("verifications %v, want %v", got, tt.want)
			}
		})
	}
}

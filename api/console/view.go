package console

import (
	"html/template"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// personView is a responsible person as a reviewer sees it: name, document number and phone masked.
type personView struct {
	Name, DocNumber, Mobile, Email string
}

type serviceView struct {
	ID        int64
	Kind      string
	Name      string
	Domains   string
	Principal personView
}

// orderView is the order's proposal for the order page, personal data masked.
type orderView struct {
	ID           int64
	Type         string
	Status       string
	Province     string
	SubjectName  string
	Nature       string
	CertNumber   string
	Address      string
	Principal    personView
	Services     []serviceView
	SubmittedAt  *time.Time
	FilingNumber string
}

func toPersonView(p filing.Person) personView {
	return personView{Name: mask(p.Name, kernel.MaskName), DocNumber: mask(p.DocNumber, kernel.MaskID),
		Mobile: mask(p.Mobile, kernel.MaskPhone), Email: p.Email}
}

func mask(s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	return f(s)
}

func toOrderView(o filing.Order) orderView {
	s := o.Proposal.Subject
	certNumber := s.CertNumber
	if s.Individual() {
		certNumber = mask(certNumber, kernel.MaskID)
	}
	v := orderView{ID: o.ID, Type: o.Type.Label(), Status: string(o.Status), Province: provinceName(o.Province()),
		SubjectName: s.Name, Nature: s.NatureLabel, CertNumber: certNumber, Address: s.CertAddress,
		Principal: toPersonView(s.Principal), SubmittedAt: o.SubmittedAt, FilingNumber: s.FilingNumber}
	if s.Individual() {
		v.SubjectName = mask(s.Name, kernel.MaskName)
		v.Address = ""
	}
	for _, svc := range o.Proposal.Services {
		v.Services = append(v.Services, serviceView{ID: svc.ID, Kind: string(svc.Kind), Name: svc.Name,
			Domains: strings.Join(svc.Domains, ", "), Principal: toPersonView(svc.Principal)})
	}
	return v
}

func provinceName(code string) string {
	if p, ok := catalog.ProvinceByCode(code); ok {
		return p.Name
	}
	return code
}

// funcs are the helpers the templates call.
var funcs = template.FuncMap{
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.In(china).Format("2006-01-02 15:04")
		case *time.Time:
			if v != nil {
				return v.In(china).Format("2006-01-02 15:04")
			}
		}
		return ""
	},
	"typeLabel":    func(t filing.OrderType) string { return t.Label() },
	"province":     provinceName,
	"reasonTitle":  reasonTitle,
	"statusLabel":  statusLabel,
	"waited":       func(since, now time.Time) string { return now.Sub(since).Round(time.Minute).String() },
	"eventComment": func(s string) []string { return strings.Split(s, "\n") },
}

func reasonTitle(code string) string {
	if r, ok := catalog.ReasonByCode(code); ok {
		return r.Title
	}
	return code
}

// statusLabel names an order status in Chinese for the pages.
func statusLabel(s filing.OrderStatus) string {
	labels := map[filing.OrderStatus]string{filing.StatusDraft: "草稿", filing.StatusPendingReview: "待初审",
		filing.StatusNeedsChanges: "待修改", filing.StatusRejected: "初审驳回", filing.StatusPendingBureau: "待提交管局",
		filing.StatusSMSVerifying: "短信核验中", filing.StatusBureauReviewing: "管局审核中", filing.StatusApproved: "已通过",
		filing.StatusBureauRejected: "管局退回", filing.StatusReturned: "已退回", filing.StatusAbandoned: "已放弃",
		filing.StatusExpired: "已过期"}
	if l, ok := labels[s]; ok {
		return l
	}
	return string(s)
}

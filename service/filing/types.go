package filing

import (
	"slices"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/notify"
)

// Person is a responsible person (主体负责人 or 互联网信息服务负责人) as a filing records them.
// DocNumber, Mobile, EmergencyPhone and Email are personal data: encrypted at rest, masked when shown.
type Person struct {
	Name           string
	DocType        int    // MIIT certificate type of a natural person, e.g. 2 居民身份证
	DocNumber      string // upper case as stored
	DocLongTerm    bool   // the document is valid long-term (长期)
	DocValidFrom   string // YYYY-MM-DD
	DocValidTo     string // YYYY-MM-DD; empty when long-term
	Mobile         string
	EmergencyPhone string
	Email          string
}

// SamePerson reports whether two records name the same human: same document type and number.
func (p Person) SamePerson(q Person) bool {
	return p.DocNumber != "" && p.DocType == q.DocType && p.DocNumber == q.DocNumber
}

// SameContacts reports whether the person's contact details (mobile, emergency phone, e-mail) match.
func (p Person) SameContacts(q Person) bool {
	return p.Mobile == q.Mobile && p.EmergencyPhone == q.EmergencyPhone && p.Email == q.Email
}

// SubjectInfo is the content of a filing subject (主体): what an order proposes and a filed
// subject holds.
type SubjectInfo struct {
	Nature              int    // MIIT subject nature code, e.g. 4 企业
	NatureLabel         string // its label, stored with the code
	CertType            int    // MIIT certificate type allowed for the nature
	CertNumber          string // personal data for individuals; encrypted at rest either way
	Name                string
	Province            string // two-digit GB/T 2260 province code, e.g. "44" 广东
	CertAddress         string
	ContactAddress      string
	PrincipalIsLegalRep bool // the subject principal is the legal representative (法定代表人)
	Principal           Person
	FilingNumber        string // the subject's filing number, known for claims and filed subjects
}

// Individual reports whether the subject is a natural person (nature 个人).
func (s SubjectInfo) Individual() bool { return s.Nature == catalog.NatureIndividual }

// ServiceKind is the kind of an internet information service.
type ServiceKind string

// Service kinds.
const (
	KindWebsite     ServiceKind = "website"
	KindApp         ServiceKind = "app"
	KindMiniProgram ServiceKind = "miniprogram"
	KindQuickApp    ServiceKind = "quickapp"
)

// ParseServiceKind accepts the four kinds.
func ParseServiceKind(s string) (ServiceKind, bool) {
	k := ServiceKind(s)
	return k, k == KindWebsite || k == KindApp || k == KindMiniProgram || k == KindQuickApp
}

// AppPlatform is an App's feature data on one platform.
type AppPlatform struct {
	Platform  string // android, ios or harmony
	Package   string // Android/HarmonyOS package name or iOS bundle id
	PublicKey string
	MD5       string // signature MD5, lower-case hex (Android, HarmonyOS)
	SHA1      string // certificate SHA-1, lower-case hex (iOS)
}

// ServiceInfo is the content of one internet information service.
type ServiceInfo struct {
	ID           int64 // positive, unique within its order and never reused there
	FiledID      int64 // the filed service this entry changes or cancels; 0 for a new service
	Kind         ServiceKind
	Name         string
	Domains      []string // registrable domains, canonical ASCII (websites)
	HomeURL      string
	IPs          []string // "a" or "a-b" (websites)
	AccessMode   uint64   // MIIT access-mode mask
	Platforms    []AppPlatform
	PreApprovals []int  // MIIT pre-approval type codes; each needs its document
	ContentTypes uint64 // MIIT content-type mask
	Languages    []int
	Principal    Person
	FilingNumber string // the service's filing number when it is filed (new_access, claims)
}

// Equal reports whether two services have the same content.
func (s ServiceInfo) Equal(t ServiceInfo) bool {
	return s.ID == t.ID && s.FiledID == t.FiledID && s.Kind == t.Kind && s.Name == t.Name &&
		slices.Equal(s.Domains, t.Domains) && s.HomeURL == t.HomeURL && slices.Equal(s.IPs, t.IPs) &&
		s.AccessMode == t.AccessMode && slices.Equal(s.Platforms, t.Platforms) &&
		slices.Equal(s.PreApprovals, t.PreApprovals) && s.ContentTypes == t.ContentTypes &&
		slices.Equal(s.Languages, t.Languages) && s.Principal == t.Principal && s.FilingNumber == t.FilingNumber
}

// clone copies the service's slices so the copy can be edited alone.
func (s ServiceInfo) clone() ServiceInfo {
	s.Domains, s.IPs, s.Platforms = slices.Clone(s.Domains), slices.Clone(s.IPs), slices.Clone(s.Platforms)
	s.PreApprovals, s.Languages = slices.Clone(s.PreApprovals), slices.Clone(s.Languages)
	return s
}

// Proposal is what an order asks to file: a snapshot of the subject and services, the applicant's
// acknowledgements, and for transfers and migrations the receiving account.
type Proposal struct {
	Subject         SubjectInfo
	Services        []ServiceInfo
	NextServiceID   int64    // the id the next added service gets; ids are never reused
	Agreements      []string // acknowledgements the applicant gave, e.g. "cancel_irreversible"
	TargetAccountID int64    // transfer and migrate: the receiving account
	TargetSubjectID int64    // migrate: the receiving subject
}

// Clone deep-copies the proposal.
func (p Proposal) Clone() Proposal {
	p.Services = slices.Clone(p.Services)
	for i := range p.Services {
		p.Services[i] = p.Services[i].clone()
	}
	p.Agreements = slices.Clone(p.Agreements)
	return p
}

// Service returns the order's service with id, if any.
func (p Proposal) Service(id int64) (ServiceInfo, bool) {
	i := slices.IndexFunc(p.Services, func(s ServiceInfo) bool { return s.ID == id })
	if i < 0 {
		return ServiceInfo{}, false
	}
	return p.Services[i], true
}

// Order is a filing order: its type, status and proposal. Its status changes only through
// Transition, persisted by OrderStore.Update.
type Order struct {
	ID          int64
	AccountID   int64
	Type        OrderType
	Status      OrderStatus
	SubjectID   int64 // the filed subject the order acts on; 0 when there is none yet
	Proposal    Proposal
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	SMS         *SMSCheckRound // the MIIT SMS check, from the hand-over to the bureau on
	DeadlineAt  *time.Time     // when the current status times out (the SMS check's 24 hours)
	Reminders   int            // stale-order reminders sent since the order last changed (see RemindedAt)
	RemindedAt  *time.Time     // when the last of them went out; reminders before UpdatedAt no longer count
	pending     []OrderEvent
	notes       []notify.Notification
}

// Province is the two-digit code of the order's filing province.
func (o Order) Province() string { return o.Proposal.Subject.Province }

// RecordStatus is the state of a filed subject or service.
type RecordStatus string

// Record statuses.
const (
	RecordLive      RecordStatus = "live"
	RecordCancelled RecordStatus = "cancelled"
)

// Subject is a filed subject (主体) held by one account.
type Subject struct {
	ID        int64
	AccountID int64
	Status    RecordStatus
	Info      SubjectInfo
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FiledService is a filed internet information service of a subject.
type FiledService struct {
	ID        int64
	SubjectID int64
	AccountID int64
	Status    RecordStatus
	Info      ServiceInfo // Info.ID is meaningless here; FiledService.ID identifies it
	CreatedAt time.Time
	UpdatedAt time.Time
}

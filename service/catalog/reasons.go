package catalog

import "slices"

// Scope says at which step a reason is raised.
type Scope string

// Scopes of reasons.
const (
	ScopeFirstReview Scope = "first_review" // the provider's first review (初审) before the bureau
	ScopeInspection  Scope = "inspection"   // a post-filing check (备案核查) of an approved record
	ScopeSMS         Scope = "sms"          // the MIIT SMS verification (短信核验) returned the order
	ScopeBureau      Scope = "bureau"       // the provincial bureau (管局) rejected the order
)

// Categories of reasons: which part of a filing the applicant has to fix.
const (
	CategorySubject  = "subject"  // the filing subject or its principal
	CategoryService  = "service"  // a website or App: name, content, domain, App data
	CategoryContact  = "contact"  // phone numbers and e-mail addresses, SMS verification
	CategoryAccess   = "access"   // hosting, DNS resolution, IP addresses, access records
	CategoryMaterial = "material" // uploaded documents, photos and letters
)

// Reason is one entry of the catalogue of reasons a filing is rejected, returned or found
// deficient. Code is stable and stored with orders and inspections; Title and Guidance are the
// Chinese texts shown to the applicant.
type Reason struct {
	Code     string // SCREAMING_SNAKE, never renamed once stored
	Scope    Scope
	Category string // one of the Category constants
	Title    string // short Chinese statement of the problem
	Guidance string // Chinese: what the applicant should do about it
}

// Reasons returns the whole catalogue: first-review reasons, then inspection, SMS and bureau
// reasons. The slice is a fresh copy.
func Reasons() []Reason {
	return slices.Concat(firstReviewReasons[:], inspectionReasons[:], returnReasons[:])
}

// ReasonsIn returns the reasons of one scope, in catalogue order.
func ReasonsIn(scope Scope) []Reason {
	var out []Reason
	for _, r := range Reasons() {
		if r.Scope == scope {
			out = append(out, r)
		}
	}
	return out
}

// ReasonByCode returns the reason with the given code.
func ReasonByCode(code string) (Reason, bool) {
	return find(Reasons(), func(r Reason) bool { return r.Code == code })
}

// returnReasons are raised when the MIIT SMS check or the bureau sends an order back.
var returnReasons = [...]Reason{
	{"SMS_TIMEOUT", ScopeSMS, CategoryContact, "工信部短信核验超时",
		"负责人没有在收到短信后 24 小时内完成核验，订单已被退回。请确认手机能正常接收工信部（12381）的短信，然后重新提交，收到短信后尽快完成核验。"},
	{"SMS_TOO_MANY_ATTEMPTS", ScopeSMS, CategoryContact, "短信核验码多次输入错误",
		"核验码连续输错次数过多，订单已被退回。重新提交后，请对照最新一条短信仔细输入核验码。"},
	{"BUREAU_REJECTED_OTHER", ScopeBureau, CategorySubject, "管局审核未通过",
		"请查看管局给出的驳回说明，按要求修改备案信息或补充材料后重新提交；不清楚的地方可以联系我们协助确认。"},
}

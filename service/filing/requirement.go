package filing

import (
	"fmt"
	"github.com/beian/beian/service/kernel"
	"strconv"
	"strings"
)

// RequirementKind says what sort of thing an order still lacks.
type RequirementKind string

// Requirement kinds.
const (
	NeedField        RequirementKind = "field"
	NeedMaterial     RequirementKind = "material"
	NeedVerification RequirementKind = "verification"
	NeedAgreement    RequirementKind = "agreement"
)

// Requirement codes: what is wrong with the item.
const (
	CodeNotAllowed     = "NOT_ALLOWED"       // a value the nature, kind or type does not allow
	CodeExpired        = "EXPIRED"           // a document's validity has ended
	CodeMismatch       = "MISMATCH"          // two values that must agree do not
	CodeNonLocal       = "NON_LOCAL"         // the province accepts only local individuals
	CodeMustBeLegalRep = "MUST_BE_LEGAL_REP" // the province wants the legal representative as principal
	CodeTooMany        = "TOO_MANY"          // over a province's cap
	CodeReservedPrefix = "RESERVED_PREFIX"   // 中国/中华/… prefix on a non-state subject's service
	CodeNoChange       = "NO_CHANGE"         // a change order that changes nothing
	CodeTooYoung       = "TOO_YOUNG"         // below the province's minimum age (from the resident ID)
	CodeForeignRefused = "FOREIGN_REFUSED"   // the province refuses foreign nationals as individuals
	// CodeMustAuthoriseCitizen: the province wants a legal representative from abroad to
	// authorise a mainland citizen as subject principal.
	CodeMustAuthoriseCitizen = "MUST_AUTHORISE_CITIZEN"
	// CodeVerifiedPersonChanged: the confirmed verification is of another person, or of the same
	// document under another name, than the order names now.
	CodeVerifiedPersonChanged = "VERIFIED_PERSON_CHANGED"
)

// Requirement is one thing an order still needs before it can be submitted. Key names the item:
// a field path ("subject.principal.mobile", "services.1.domains"), a material key (MaterialKey), a
// person (PersonRef.String()) or an agreement name.
type Requirement struct {
	Kind    RequirementKind
	Key     string
	Code    string
	Message string // Chinese, for people
}

// Requirements is the full list for an order; Complete when it is empty.
type Requirements struct {
	Complete bool
	Items    []Requirement
	// Comments are the reviewer's field comments from the decision that sent the order back
	// (Orders.Requirements fills them; EvaluateRequirements leaves them nil).
	Comments []FieldComment
}

// MaterialKind is a kind of uploaded document.
type MaterialKind string

// Material kinds.
const (
	MaterialSubjectCertificate   MaterialKind = "subject_certificate"           // 主体证件
	MaterialPrincipalID          MaterialKind = "principal_id"                  // 主体负责人证件
	MaterialServicePrincipalID   MaterialKind = "service_principal_id"          // per service: 服务负责人证件
	MaterialCommitmentLetter     MaterialKind = "commitment_letter"             // 广东《互联网信息服务备案承诺书》
	MaterialJiangsuCommitment    MaterialKind = "jiangsu_commitment_letter"     // 江苏《ICP备案信息真实性承诺书》
	MaterialJiangsuNotice        MaterialKind = "jiangsu_responsibility_letter" // 江苏《ICP备案信息真实性责任告知书》
	MaterialResidencePermit      MaterialKind = "residence_permit"              // 居住证 of a non-local individual
	MaterialAuthorizationLetter  MaterialKind = "authorization_letter"          // 法人授权书
	MaterialRegistrationChange   MaterialKind = "registration_change_letter"    // 工商变更证明
	MaterialPreApproval          MaterialKind = "preapproval_document"          // per service and item: 前置审批文件
	MaterialSiteConstructionPlan MaterialKind = "site_construction_plan"        // 网站建设方案书
	MaterialIncomeProof          MaterialKind = "income_proof"                  // 未成年个人的工作或收入证明
)

// materialScope says what one material of a kind belongs to.
type materialScope int

const (
	scopeOrder   materialScope = iota // one per order
	scopeService                      // one per service: key "kind:service_id"
	scopeItem                         // one per service and pre-approval item: "kind:service_id:code"
)

// materialSpec describes a kind: its Chinese label, scope, and whether scans must be in colour.
type materialSpec struct {
	Label  string
	Scope  materialScope
	Colour bool
}

var materialSpecs = map[MaterialKind]materialSpec{
	MaterialSubjectCertificate:   {"主体证件（彩色原件扫描件或照片）", scopeOrder, true},
	MaterialPrincipalID:          {"主体负责人证件（彩色）", scopeOrder, true},
	MaterialServicePrincipalID:   {"互联网信息服务负责人证件（彩色）", scopeService, true},
	MaterialCommitmentLetter:     {"《互联网信息服务备案承诺书》", scopeOrder, false},
	MaterialJiangsuCommitment:    {"《ICP备案信息真实性承诺书》（彩色原件）", scopeOrder, true},
	MaterialJiangsuNotice:        {"《ICP备案信息真实性责任告知书》（彩色原件）", scopeOrder, true},
	MaterialResidencePermit:      {"本省居住证（或社保证明、房产证明、暂住证）", scopeOrder, true},
	MaterialAuthorizationLetter:  {"法定代表人授权书", scopeOrder, false},
	MaterialRegistrationChange:   {"主体信息变更证明（工商变更函）", scopeOrder, false},
	MaterialPreApproval:          {"前置审批文件", scopeItem, false},
	MaterialSiteConstructionPlan: {"网站建设方案书", scopeOrder, false},
	MaterialIncomeProof:          {"工作证明或收入证明（未满规定年龄的个人）", scopeOrder, false},
}

// MaterialKey names one material slot of an order: a kind and, for per-service kinds, the order's
// service id and the pre-approval code. Its text form is "kind", "kind:service_id" or
// "kind:service_id:code".
type MaterialKey struct {
	Kind      MaterialKind
	ServiceID int64
	Item      int
}

// String is the key's text form, as requirement keys and upload forms use it.
func (k MaterialKey) String() string {
	switch materialSpecs[k.Kind].Scope {
	case scopeService:
		return fmt.Sprintf("%s:%d", k.Kind, k.ServiceID)
	case scopeItem:
		return fmt.Sprintf("%s:%d:%d", k.Kind, k.ServiceID, k.Item)
	}
	return string(k.Kind)
}

// ColourRequired reports whether scans of this kind must be in colour.
func (k MaterialKey) ColourRequired() bool { return materialSpecs[k.Kind].Colour }

// ParseMaterialKey parses the text form of a MaterialKey; the number of parts must fit the kind,
// and ids and codes are positive decimal numbers without leading zeros.
func ParseMaterialKey(s string) (MaterialKey, error) {
	parts := strings.Split(s, ":")
	kind := MaterialKind(parts[0])
	spec, ok := materialSpecs[kind]
	if !ok || len(parts) != int(spec.Scope)+1 {
		return MaterialKey{}, fmt.Errorf("material key %q: unknown kind or wrong number of parts", s)
	}
	nums := make([]int64, 2)
	for i, p := range parts[1:] {
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil || n <= 0 || strconv.FormatInt(n, 10) != p {
			return MaterialKey{}, fmt.Errorf("material key %q: part %d is not a positive number", s, i+2)
		}
		nums[i] = n
	}
	return MaterialKey{Kind: kind, ServiceID: nums[0], Item: int(nums[1])}, nil
}

// Order-type sets the tables below refer to.
var (
	typesWithSubject  = []OrderType{OrderNewFiling, OrderClaim, OrderChangeSubject, OrderChangeBoth}
	typesWithServices = []OrderType{OrderNewFiling, OrderClaim, OrderNewService, OrderNewAccess, OrderChangeService, OrderChangeBoth}
	typesWithLetters  = []OrderType{OrderNewFiling, OrderNewService, OrderNewAccess, OrderChangeSubject, OrderChangeService, OrderChangeBoth}
	typesCancel       = []OrderType{OrderCancelService, OrderCancelSubject, OrderCancelAccess}
)

// materialRule says an order of one of Types needs a material of Kind when When holds (for
// per-service kinds, When is asked per service). The evaluator reads this table; add rows, not ifs.
type materialRule struct {
	Kind  MaterialKind
	Types []OrderType
	When  func(c *reqContext, svc ServiceInfo) bool
}

var materialRules = []materialRule{
	{MaterialSubjectCertificate, typesWithSubject, func(c *reqContext, _ ServiceInfo) bool { return !c.subject().Individual() }},
	{MaterialPrincipalID, typesWithSubject, always},
	{MaterialServicePrincipalID, typesWithServices, func(c *reqContext, s ServiceInfo) bool {
		return !s.Principal.SamePerson(c.subject().Principal)
	}},
	{MaterialCommitmentLetter, typesWithLetters, func(c *reqContext, _ ServiceInfo) bool { return c.rules.RequiresCommitmentLetter }},
	{MaterialJiangsuCommitment, typesWithLetters, func(c *reqContext, _ ServiceInfo) bool { return c.rules.RequiresJiangsuLetters }},
	{MaterialJiangsuNotice, typesWithLetters, func(c *reqContext, _ ServiceInfo) bool { return c.rules.RequiresJiangsuLetters }},
	{MaterialResidencePermit, typesWithSubject, func(c *reqContext, _ ServiceInfo) bool {
		return c.rules.NonLocalIndividualNeedsResidencePermit && c.nonLocalIndividual()
	}},
	{MaterialAuthorizationLetter, typesWithSubject, func(c *reqContext, _ ServiceInfo) bool {
		return (!c.subject().Individual() && !c.subject().PrincipalIsLegalRep) || c.principalReplacedInChangeBoth()
	}},
	{MaterialRegistrationChange, []OrderType{OrderChangeSubject, OrderChangeBoth}, func(c *reqContext, _ ServiceInfo) bool {
		return c.filed != nil && (c.subject().Name != c.filed.Info.Name || c.subject().CertAddress != c.filed.Info.CertAddress)
	}},
	{MaterialPreApproval, typesWithServices, always},
	{MaterialSiteConstructionPlan, []OrderType{OrderNewFiling, OrderNewService}, func(c *reqContext, _ ServiceInfo) bool {
		return c.rules.BuildPlanFromWebsites > 0 && c.websitesAfter() >= c.rules.BuildPlanFromWebsites
	}},
	{MaterialIncomeProof, typesWithSubject, func(c *reqContext, _ ServiceInfo) bool { return c.needsIncomeProof() }},
}

func always(*reqContext, ServiceInfo) bool { return true }

// verificationNeeds says whose identity each order type checks: the subject
// principal, and/or the principal of each service the order carries.
var verificationNeeds = map[OrderType]struct{ subject, services bool }{
	OrderNewFiling:     {true, true},
	OrderClaim:         {true, true},
	OrderNewService:    {false, true},
	OrderNewAccess:     {false, true},
	OrderChangeSubject: {true, false},
	OrderChangeService: {false, true},
	OrderChangeBoth:    {true, true},
	OrderMigrate:       {false, true},
	OrderCancelService: {false, true},
	OrderCancelSubject: {true, false},
}

// Agreement names.
const (
	AgreeCancelIrreversible = "cancel_irreversible" // cancellations cannot be undone
	AgreeShellSubject       = "shell_subject"       // the order leaves the subject without a live service
)

// agreementRule is an acknowledgement an order of one of Types needs when When holds.
type agreementRule struct {
	Key, Message string
	Types        []OrderType
	When         func(c *reqContext) bool
}

// agreementRules lists the acknowledgements an order needs before submission.
var agreementRules = []agreementRule{
	{AgreeCancelIrreversible, "注销或取消接入后不可恢复，请确认", typesCancel, func(*reqContext) bool { return true }},
	{AgreeShellSubject, "办理后主体下将没有互联网信息服务，成为空壳主体；建议同时注销主体，请确认",
		[]OrderType{OrderCancelService, OrderCancelAccess, OrderMigrate}, (*reqContext).leavesShell},
}

// requirementMessages are the Chinese texts for field problems.
var requirementMessages = map[string]string{
	kernel.CodeMissing:       "必填项未填写",
	kernel.CodeInvalid:       "格式或内容不正确",
	CodeNotAllowed:           "该取值不被允许",
	CodeExpired:              "证件已过有效期",
	CodeMismatch:             "与关联信息不一致",
	CodeNonLocal:             "该省仅受理本省证件的个人备案",
	CodeMustBeLegalRep:       "该省要求主体负责人为法定代表人",
	CodeTooMany:              "超过该省每个订单的数量上限",
	CodeReservedPrefix:       "非国家机关主体的名称不得以中国、中华、中央、人民、人大、国家开头",
	CodeNoChange:             "变更订单没有任何变更内容",
	CodeTooYoung:             "未达到该省要求的最低年龄（按身份证出生日期计算）",
	CodeForeignRefused:       "该省不受理外国人以个人身份备案",
	CodeMustAuthoriseCitizen: "该省要求境外法定代表人授权一名中国大陆公民担任主体负责人",
}

package filing

import (
	"errors"
	"fmt"
)

// Errors of the filing use cases; the api error table maps each to a status and a stable code.
var (
	// ErrOrderInProgress: the account already has an order that is neither approved nor abandoned.
	ErrOrderInProgress = errors.New("another order is in progress")
	// ErrOrderNotEditable: the order's status does not allow changing its content or materials.
	ErrOrderNotEditable = errors.New("order is not editable")
	// ErrRequirementsUnmet: the order cannot be submitted yet; see RequirementsError.
	ErrRequirementsUnmet = errors.New("order requirements unmet")
	// ErrOrderTypeNotAllowed: a filing rule refuses this order type here; see RuleError.
	ErrOrderTypeNotAllowed = errors.New("order type not allowed")
	// ErrAuthorizationRequired: a migration cannot be submitted before the target account grants it.
	ErrAuthorizationRequired = errors.New("the target account has not granted the migration")
	// ErrUseTransfers: transfers and migrations are opened through the transfer flow, which also
	// starts the receiving account's authorization.
	ErrUseTransfers = errors.New("transfers and migrations are opened through the transfer flow")
)

// OrderInProgressError names the order that blocks a new one. It wraps ErrOrderInProgress.
type OrderInProgressError struct{ OrderID int64 }

func (e *OrderInProgressError) Error() string {
	return fmt.Sprintf("order %d is in progress", e.OrderID)
}

// Unwrap lets errors.Is(err, ErrOrderInProgress) match.
func (e *OrderInProgressError) Unwrap() error { return ErrOrderInProgress }

// Rule reasons: why an order type is refused (RuleError.Reason), stable SCREAMING_SNAKE codes.
const (
	ReasonSubjectExists       = "SUBJECT_EXISTS"            // the account already has a subject
	ReasonNoSubject           = "NO_SUBJECT"                // the order type needs a filed subject
	ReasonShellSubject        = "SHELL_SUBJECT"             // a shell subject must be cancelled first here
	ReasonNoLiveService       = "NO_LIVE_SERVICE"           // the subject has no live service to act on
	ReasonOneService          = "ONE_SERVICE_PER_ORDER"     // cancel_service takes exactly one service
	ReasonServiceNotFiled     = "SERVICE_NOT_FILED"         // a named service is not a live service of the subject
	ReasonTargetUnknown       = "TARGET_ACCOUNT_UNKNOWN"    // no account has the target phone number
	ReasonTargetSelf          = "TARGET_IS_SELF"            // the target is the applicant's own account
	ReasonTargetHasSubject    = "TARGET_HAS_SUBJECT"        // a transfer target must have no subject
	ReasonTargetNoSubject     = "TARGET_HAS_NO_SUBJECT"     // a migration target needs a subject
	ReasonTargetBusy          = "TARGET_ORDER_IN_PROGRESS"  // the target account has an order in progress
	ReasonMigrationProvince   = "MIGRATION_NOT_IN_PROVINCE" // migration only within the listed provinces
	ReasonMigrationIndividual = "MIGRATION_TO_INDIVIDUAL"   // never migrate to an individual subject
	ReasonNeedsChangeBoth     = "NEEDS_CHANGE_BOTH"         // this change must be filed as change_both
	ReasonChangeOutsideType   = "CHANGE_OUTSIDE_ORDER_TYPE" // change_subject edits services or vice versa
)

// RuleError says which filing rule refuses an order. It wraps ErrOrderTypeNotAllowed.
type RuleError struct {
	Reason string // one of the Reason constants
	Detail string // English detail for logs, no personal data
}

func (e *RuleError) Error() string { return "order refused: " + e.Reason + ": " + e.Detail }

// Unwrap lets errors.Is(err, ErrOrderTypeNotAllowed) match.
func (e *RuleError) Unwrap() error { return ErrOrderTypeNotAllowed }

func refuse(reason, detail string) error { return &RuleError{Reason: reason, Detail: detail} }

// RequirementsError carries what is still missing. It wraps ErrRequirementsUnmet.
type RequirementsError struct{ Requirements Requirements }

func (e *RequirementsError) Error() string {
	return fmt.Sprintf("%d requirements unmet", len(e.Requirements.Items))
}

// Unwrap lets errors.Is(err, ErrRequirementsUnmet) match.
func (e *RequirementsError) Unwrap() error { return ErrRequirementsUnmet }

// ruleMessages are the Chinese texts shown for each rule reason.
var ruleMessages = map[string]string{
	ReasonSubjectExists:       "您已有备案主体，请办理新增互联网信息服务或变更备案",
	ReasonNoSubject:           "您还没有已备案的主体，请先办理首次备案",
	ReasonShellSubject:        "该主体为空壳主体，所在省份要求先注销主体再办理新增",
	ReasonNoLiveService:       "该主体下没有已备案的互联网信息服务",
	ReasonOneService:          "注销互联网信息服务每次只能选择一个服务；其他业务请至少选择一个服务",
	ReasonServiceNotFiled:     "所选服务不是该主体下已备案的服务",
	ReasonTargetUnknown:       "目标账号不存在",
	ReasonTargetSelf:          "不能转移或迁移到自己的账号",
	ReasonTargetHasSubject:    "目标账号已有备案主体，不能接收转移",
	ReasonTargetNoSubject:     "目标账号没有备案主体，不能接收迁移",
	ReasonTargetBusy:          "目标账号有正在办理的备案订单",
	ReasonMigrationProvince:   "所在省份不支持迁移互联网信息服务",
	ReasonMigrationIndividual: "互联网信息服务不能迁移到个人主体",
	ReasonNeedsChangeBoth:     "该变更需要办理变更备案（同时变更主体和互联网信息服务）",
	ReasonChangeOutsideType:   "变更内容超出了该变更类型的范围，请办理变更备案",
}

// Message is the Chinese text for the applicant.
func (e *RuleError) Message() string {
	if m, ok := ruleMessages[e.Reason]; ok {
		return m
	}
	return "当前情况下不能办理该类型的备案"
}

// ErrDomainFiledElsewhere: a domain of the order is filed, or in an order in flight, under another
// subject; see DomainClaimError.
var ErrDomainFiledElsewhere = errors.New("domain filed or in flight under another subject")

// DomainClaimError names the domains held for another subject. It wraps ErrDomainFiledElsewhere.
type DomainClaimError struct{ Domains []string }

func (e *DomainClaimError) Error() string {
	return fmt.Sprintf("%d domains held for another subject", len(e.Domains))
}

// Unwrap lets errors.Is(err, ErrDomainFiledElsewhere) match.
func (e *DomainClaimError) Unwrap() error { return ErrDomainFiledElsewhere }

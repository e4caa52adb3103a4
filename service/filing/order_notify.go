package filing

import (
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/notify"
)

// orderTypeLabels are the Chinese names of the order types, as applicants know them.
func orderTypeLabel(t OrderType) string {
	return map[OrderType]string{OrderNewFiling: "首次备案", OrderNewService: "新增互联网信息服务", OrderNewAccess: "新增接入",
		OrderChangeSubject: "变更主体", OrderChangeService: "变更互联网信息服务", OrderChangeBoth: "变更备案",
		OrderTransfer: "转移备案", OrderMigrate: "迁移互联网信息服务", OrderClaim: "认领备案",
		OrderCancelService: "注销互联网信息服务", OrderCancelSubject: "注销主体", OrderCancelAccess: "取消接入"}[t]
}

// Label is the Chinese name of the order type, as applicants know it; empty for an unknown type.
func (t OrderType) Label() string { return orderTypeLabel(t) }

// notifyTransition queues what the applicant is told when event happens to the order: an SMS to the
// account's phone and, for outcomes that need reading, an e-mail to the subject principal.
func (o *Order) notifyTransition(event OrderEventName, reasons []string, comment string, now time.Time) {
	id := fmt.Sprint(o.ID)
	var template string
	params := map[string]string{"order_id": id}
	email := false
	switch event {
	case EventSubmit:
		template, params["order_type"] = notify.TemplateOrderSubmitted, orderTypeLabel(o.Type)
	case EventRequestChanges:
		template, params["comments"], email = notify.TemplateChangesRequested, orDefault(comment, ReasonTitles(reasons)), true
	case EventReject:
		template, params["reasons"], params["guidance"], email = notify.TemplateOrderRejected, ReasonTitles(reasons), reasonGuidance(reasons), true
	case EventHandToBureau:
		p, _ := catalog.ProvinceByCode(o.Province())
		template, params["province"] = notify.TemplateOrderToBureau, p.Name
	case EventSMSTimeout, EventSMSFailed:
		template, params["reason"], email = notify.TemplateSMSCheckTimeout, ReasonTitles(reasons), true
	case EventExpire:
		template = notify.TemplateOrderExpired
	case EventBureauReject:
		template, params["reason"], email = notify.TemplateBureauRejected, orDefault(comment, ReasonTitles(reasons)), true
	default:
		return
	}
	o.Notify(notify.Notification{Channel: notify.ChannelSMS, Template: template, Recipient: notify.AccountRecipient(o.AccountID), Params: params, CreatedAt: now})
	if to := o.Proposal.Subject.Principal.Email; email && to != "" {
		o.Notify(notify.Notification{Channel: notify.ChannelEmail, Template: template, Recipient: to, Params: params, CreatedAt: now})
	}
}

func ReasonTitles(codes []string) string {
	var titles []string
	for _, c := range codes {
		if r, ok := catalog.ReasonByCode(c); ok {
			titles = append(titles, r.Title)
		}
	}
	return orDefault(strings.Join(titles, "；"), "详见备案系统")
}

func reasonGuidance(codes []string) string {
	var out []string
	for _, c := range codes {
		if r, ok := catalog.ReasonByCode(c); ok {
			out = append(out, r.Guidance)
		}
	}
	return orDefault(strings.Join(out, " "), "请登录备案系统查看详情。")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

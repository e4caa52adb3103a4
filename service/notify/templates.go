package notify

import (
	"fmt"
	"strings"
	"text/template"
)

// Template keys. Each names one message; SMS providers register the same key with their own
// template id (BEIAN_SMS_TEMPLATES), and the positional parameters follow the order given here.
const (
	TemplateLoginCode          = "login_code"
	TemplateOrderSubmitted     = "order_submitted"
	TemplateChangesRequested   = "order_changes_requested"
	TemplateOrderRejected      = "order_rejected"
	TemplateOrderToBureau      = "order_to_bureau"
	TemplateSMSCheckCode       = "sms_check_code"
	TemplateSMSCheckReminder   = "sms_check_reminder"
	TemplateSMSCheckTimeout    = "sms_check_timeout"
	TemplateOrderApproved      = "order_approved"
	TemplateBureauRejected     = "bureau_rejected"
	TemplateOrderStaleReminder = "order_stale_reminder"
	TemplateOrderExpired       = "order_expired"
	TemplateInspectionNotice   = "inspection_notice"
	TemplateInspectionOverdue  = "inspection_overdue"
)

// messageTemplate is one notification's wording. params lists the positional parameters providers
// with registered templates receive, in order.
type messageTemplate struct {
	key     string
	subject string
	body    *template.Template
	params  []string
}

func (t messageTemplate) render(params map[string]string) (string, error) {
	for _, p := range t.params {
		if params[p] == "" {
			return "", fmt.Errorf("missing parameter %q", p)
		}
	}
	var b strings.Builder
	if err := t.body.Execute(&b, params); err != nil {
		return "", err
	}
	return b.String(), nil
}

func newTemplate(key, subject, body string, params ...string) messageTemplate {
	return messageTemplate{key: key, subject: subject, params: params,
		body: template.Must(template.New(key).Option("missingkey=error").Parse(body))}
}

// templateSet indexes the templates by key; Notifications builds one when it is constructed.
func templateSet() map[string]messageTemplate {
	set := map[string]messageTemplate{}
	for _, t := range messageTemplates() {
		set[t.key] = t
	}
	return set
}

// messageTemplates is every message's wording, in Chinese, one per event.
func messageTemplates() []messageTemplate {
	return []messageTemplate{
		newTemplate(TemplateLoginCode, "登录验证码",
			"您的登录验证码为{{.code}}，{{.minutes}}分钟内有效。请勿将验证码告诉他人；如非本人操作，请忽略本短信。",
			"code", "minutes"),
		newTemplate(TemplateOrderSubmitted, "备案订单已提交",
			"您的备案订单{{.order_id}}（{{.order_type}}）已提交，我们将在1-2个工作日内完成初审，审核期间请保持电话畅通。",
			"order_id", "order_type"),
		newTemplate(TemplateChangesRequested, "备案订单需要修改",
			"您的备案订单{{.order_id}}需要修改后再提交：{{.comments}}。请登录备案系统按提示修改。",
			"order_id", "comments"),
		newTemplate(TemplateOrderRejected, "备案订单初审未通过",
			"您的备案订单{{.order_id}}初审未通过，原因：{{.reasons}}。处理建议：{{.guidance}} 修改后可重新提交。",
			"order_id", "reasons", "guidance"),
		newTemplate(TemplateOrderToBureau, "备案订单已提交管局",
			"您的备案订单{{.order_id}}已通过初审，已提交{{.province}}通信管理局。稍后负责人手机将收到短信核验码，请在24小时内完成核验，否则订单将被退回。",
			"order_id", "province"),
		newTemplate(TemplateSMSCheckCode, "ICP备案短信核验",
			"您正在办理ICP备案（订单{{.order_id}}），短信核验码为{{.code}}，24小时内有效。请在备案系统中输入完成核验，切勿告知他人。",
			"order_id", "code"),
		newTemplate(TemplateSMSCheckReminder, "请尽快完成短信核验",
			"您的备案订单{{.order_id}}尚未完成短信核验，将于{{.deadline}}截止，逾期订单将被退回。",
			"order_id", "deadline"),
		newTemplate(TemplateSMSCheckTimeout, "短信核验未完成，订单已退回",
			"您的备案订单{{.order_id}}因{{.reason}}已被退回。请确认负责人手机号可正常接收短信后重新提交。",
			"order_id", "reason"),
		newTemplate(TemplateOrderApproved, "备案已通过",
			"恭喜，您的备案订单{{.order_id}}已通过管局审核。备案号：{{.numbers}}。请在网站首页底部展示备案号并链接到 https://beian.miit.gov.cn ，App请在“关于”页面展示。",
			"order_id", "numbers"),
		newTemplate(TemplateBureauRejected, "管局审核未通过",
			"您的备案订单{{.order_id}}未通过管局审核，原因：{{.reason}}。请修改后重新提交。",
			"order_id", "reason"),
		newTemplate(TemplateOrderStaleReminder, "备案订单待您处理",
			"您的备案订单{{.order_id}}已有{{.days}}天未处理，超过45天未处理的订单将失效（资料会保留，可重新激活）。",
			"order_id", "days"),
		newTemplate(TemplateOrderExpired, "备案订单已失效",
			"您的备案订单{{.order_id}}超过45天未处理，已失效。资料已保留，您可以登录后重新激活订单。",
			"order_id"),
		newTemplate(TemplateInspectionNotice, "备案核查整改通知",
			"经核查，您的备案信息（{{.target}}）存在问题：{{.reasons}}。请于{{.deadline}}前完成整改，整改期间网站可正常访问；逾期未整改将取消接入。",
			"target", "reasons", "deadline"),
		newTemplate(TemplateInspectionOverdue, "备案核查逾期，已取消接入",
			"您的备案信息（{{.target}}）未在期限内完成整改，我们已取消接入。如有疑问请联系客服。",
			"target"),
	}
}

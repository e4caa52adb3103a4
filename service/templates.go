package service

import (
	"fmt"
	"strings"
	"text/template"
)

// Template keys. Each names one message; SMS providers register the same key with their own id.
const (
	TemplateLoginCode = "login_code"
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

func messageTemplates() []messageTemplate {
	return []messageTemplate{
		newTemplate(TemplateLoginCode, "登录验证码",
			"您的登录验证码为{{.code}}，{{.minutes}}分钟内有效。请勿将验证码告诉他人；如非本人操作，请忽略本短信。",
			"code", "minutes"),
	}
}

package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/notify"
)

// Tencent Cloud SMS API 3.0, action SendSms.
const (
	tencentSMSService  = "sms"
	tencentSMSAction   = "SendSms"
	tencentSMSVersion  = "2021-01-11"
	tencentSMSEndpoint = "https://sms.tencentcloudapi.com"
	tencentSMSRegion   = "ap-guangzhou"
	tencentSMSTimeout  = 10 * time.Second
	tencentMaxResponse = 1 << 20
)

// TencentSMSConfig configures TencentSMS. SecretID, SecretKey, SdkAppID, SignName and at least one
// template are required; Region defaults to ap-guangzhou and Endpoint to https://sms.tencentcloudapi.com
// (tests point it at a local server; the signature covers whatever host it names).
type TencentSMSConfig struct {
	SecretID  string
	SecretKey string
	Region    string
	SdkAppID  string
	SignName  string
	// Templates maps our template key ("login_code") to the approved Tencent TemplateId.
	Templates map[string]string
	Endpoint  string
}

// String prints the configuration with SecretKey masked, so the struct is safe to log.
func (c TencentSMSConfig) String() string {
	return fmt.Sprintf("{SecretID:%s SecretKey:%s Region:%s SdkAppID:%s SignName:%s Templates:%v Endpoint:%s}",
		c.SecretID, mask(c.SecretKey), c.Region, c.SdkAppID, c.SignName, c.Templates, c.Endpoint)
}

// GoString is String, so %#v masks the secret too.
func (c TencentSMSConfig) GoString() string { return c.String() }

// TencentSMS sends one templated SMS per call through Tencent Cloud's SendSms API. It implements
// service.SMSSender and is safe for concurrent use.
type TencentSMS struct {
	cfg      TencentSMSConfig
	endpoint *url.URL
	client   *http.Client
	now      func() time.Time
}

// NewTencentSMS validates cfg and returns a sender. A nil client gets one with a 10-second timeout;
// a nil now uses time.Now. The error names every missing or invalid field.
func NewTencentSMS(cfg TencentSMSConfig, client *http.Client, now func() time.Time) (*TencentSMS, error) {
	if cfg.Region == "" {
		cfg.Region = tencentSMSRegion
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = tencentSMSEndpoint
	}
	cfg.Templates = maps.Clone(cfg.Templates)
	endpoint, err := validateTencentSMS(cfg)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: tencentSMSTimeout}
	}
	if now == nil {
		now = time.Now
	}
	return &TencentSMS{cfg: cfg, endpoint: endpoint, client: client, now: now}, nil
}

func validateTencentSMS(cfg TencentSMSConfig) (*url.URL, error) {
	var problems []string
	for _, f := range []struct{ name, value string }{
		{"SecretID", cfg.SecretID}, {"SecretKey", cfg.SecretKey}, {"SdkAppID", cfg.SdkAppID}, {"SignName", cfg.SignName},
	} {
		if strings.TrimSpace(f.value) == "" {
			problems = append(problems, "missing "+f.name)
		}
	}
	if len(cfg.Templates) == 0 {
		problems = append(problems, "missing Templates")
	}
	for key, id := range cfg.Templates {
		if strings.TrimSpace(id) == "" {
			problems = append(problems, fmt.Sprintf("empty TemplateId for template %q", key))
		}
	}
	endpoint, err := url.Parse(cfg.Endpoint)
	if err != nil || (endpoint.Scheme != "https" && endpoint.Scheme != "http") || endpoint.Host == "" {
		problems = append(problems, "invalid Endpoint (want an absolute http(s) URL)")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("tencent sms config: %s", strings.Join(problems, "; "))
	}
	return endpoint, nil
}

// sendSmsRequest is the SendSms request body (API version 2021-01-11).
type sendSmsRequest struct {
	PhoneNumberSet   []string `json:"PhoneNumberSet"`
	SmsSdkAppID      string   `json:"SmsSdkAppId"`
	TemplateID       string   `json:"TemplateId"`
	SignName         string   `json:"SignName"`
	TemplateParamSet []string `json:"TemplateParamSet"`
	SessionContext   string   `json:"SessionContext"`
	SenderID         string   `json:"SenderId"`
}

// SendSMS sends m to one mainland or E.164 number. m.Template must be a key of cfg.Templates;
// m.Params fill the template in order; m.ID travels as SessionContext and comes back in the
// response. It returns nil only when Tencent accepted the number (SendStatus code "Ok"). Errors
// wrap ErrPermanent when a retry cannot help and never contain the phone number or the SecretKey.
func (t *TencentSMS) SendSMS(ctx context.Context, m notify.SMSMessage) error {
	body, err := t.requestBody(m)
	if err != nil {
		return fmt.Errorf("tencent sms %s: %w", m.ID, err)
	}
	req, err := t.newRequest(ctx, body)
	if err != nil {
		return fmt.Errorf("tencent sms %s: %w", m.ID, err)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("tencent sms %s: %w", m.ID, err)
	}
	defer resp.Body.Close()
	if err := parseSendSmsResponse(resp); err != nil {
		return fmt.Errorf("tencent sms %s: %w", m.ID, err)
	}
	return nil
}

func (t *TencentSMS) requestBody(m notify.SMSMessage) ([]byte, error) {
	templateID, ok := t.cfg.Templates[m.Template]
	if !ok {
		return nil, permanent(fmt.Errorf("unknown template key %q", m.Template))
	}
	phone, ok := e164(m.Phone)
	if !ok {
		return nil, permanent(errors.New("phone number is not a mainland mobile or E.164 number"))
	}
	params := m.Params
	if params == nil {
		params = []string{}
	}
	return json.Marshal(sendSmsRequest{
		PhoneNumberSet:   []string{phone},
		SmsSdkAppID:      t.cfg.SdkAppID,
		TemplateID:       templateID,
		SignName:         t.cfg.SignName,
		TemplateParamSet: params,
		SessionContext:   m.ID,
	})
}

func (t *TencentSMS) newRequest(ctx context.Context, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return nil, permanent(err)
	}
	timestamp := t.now().Unix()
	sig := tc3Sign(tc3Request{
		SecretID:  t.cfg.SecretID,
		SecretKey: t.cfg.SecretKey,
		Service:   tencentSMSService,
		Host:      req.URL.Host,
		Action:    tencentSMSAction,
		Payload:   body,
		Timestamp: timestamp,
	})
	req.Header.Set("Authorization", sig.Authorization)
	req.Header.Set("Content-Type", tc3ContentType)
	req.Header.Set("X-TC-Action", tencentSMSAction)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(timestamp, 10))
	req.Header.Set("X-TC-Version", tencentSMSVersion)
	req.Header.Set("X-TC-Region", t.cfg.Region)
	return req, nil
}

// e164 accepts "+<8–15 digits>" as is and an 11-digit mainland mobile ("1…") as "+86…".
func e164(phone string) (string, bool) {
	p := strings.TrimSpace(phone)
	if rest, ok := strings.CutPrefix(p, "+"); ok {
		if len(rest) < 8 || len(rest) > 15 || !digits(rest) {
			return "", false
		}
		return p, true
	}
	if len(p) == 11 && p[0] == '1' && digits(p) {
		return "+86" + p, true
	}
	return "", false
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// mask hides a secret in printed configuration, keeping only whether it is set.
func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "***"
}

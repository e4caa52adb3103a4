package sender

import (
	"fmt"
	"strings"
	"testing"
)

func TestNewTencentSMSValidates(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*TencentSMSConfig)
		want   []string
	}{
		{"complete", func(*TencentSMSConfig) {}, nil},
		{"nothing set", func(c *TencentSMSConfig) { *c = TencentSMSConfig{} },
			[]string{"missing SecretID", "missing SecretKey", "missing SdkAppID", "missing SignName", "missing Templates"}},
		{"blank template id", func(c *TencentSMSConfig) { c.Templates = map[string]string{"login_code": " "} },
			[]string{`empty TemplateId for template "login_code"`}},
		{"relative endpoint", func(c *TencentSMSConfig) { c.Endpoint = "sms.tencentcloudapi.com" },
			[]string{"invalid Endpoint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testTencentConfig("")
			tt.modify(&cfg)
			sms, err := NewTencentSMS(cfg, nil, nil)
			if tt.want == nil {
				if err != nil || sms.cfg.Region != "ap-guangzhou" || sms.endpoint.String() != "https://sms.tencentcloudapi.com" {
					t.Fatalf("NewTencentSMS = %v, %v; want defaults applied", sms, err)
				}
				return
			}
			if err == nil {
				t.Fatal("NewTencentSMS accepted an invalid config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestTencentSMSConfigMasksSecret(t *testing.T) {
	cfg := testTencentConfig("")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, cfg); strings.Contains(out, testSecretKey) {
			t.Errorf("%s prints the secret key: %s", verb, out)
		}
	}
}

func TestE164(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13800138000", "+8613800138000", true},
		{" 13800138000 ", "+8613800138000", true},
		{"+8613800138000", "+8613800138000", true},
		{"+85261234567", "+85261234567", true},
		{"8613800138000", "", false},
		{"23800138000", "", false},
		{"1380013800", "", false},
		{"+86 138 0013 8000", "", false},
		{"+1234567", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got, ok := e164(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("e164(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetryableTencentCode(t *testing.T) {
	tests := []struct {
		code      string
		retryable bool
	}{
		{"LimitExceeded.PhoneNumberDailyLimit", true},
		{"LimitExceeded.DeliveryFrequencyLimit", true},
		{"RequestLimitExceeded", true},
		{"InternalError.Timeout", true},
		{"InternalError", true},
		{"SomethingNew.Unlisted", true},
		{"InvalidParameter", false},
		{"InvalidParameterValue.IncorrectPhoneNumber", false},
		{"MissingParameter", false},
		{"FailedOperation.TemplateIncorrectOrUnapproved", false},
		{"FailedOperation.SignatureIncorrectOrUnapproved", false},
		{"FailedOperation.PhoneNumberInBlacklist", false},
		{"UnauthorizedOperation.SmsSdkAppIdVerifyFail", false},
		{"AuthFailure.SecretIdNotFound", false},
		{"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber", false},
	}
	for _, tt := range tests {
		if got := retryableTencentCode(tt.code); got != tt.retryable {
			t.Errorf("retryableTencentCode(%q) = %v, want %v", tt.code, got, tt.retryable)
		}
	}
}

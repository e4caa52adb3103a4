package sender

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// TestTC3DocumentedExample reproduces the worked example of Tencent Cloud's "签名方法 v3" (Signature
// v3) documentation: DescribeInstances on cvm.tencentcloudapi.com, timestamp 1551113065, signed
// headers content-type;host;x-tc-action. The documentation prints its example SecretId and SecretKey
// as asterisks, and its derived keys and signature are those of exactly that text: the SecretKey is
// 32 '*' characters and the SecretId "AKID" followed by 32 of them. Every value below is copied from
// the documentation.
func TestTC3DocumentedExample(t *testing.T) {
	const (
		secretID  = "AKID********************************"
		secretKey = "********************************"
		// The body is the literal bytes of the documentation: \u escapes, not decoded characters.
		payload = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	)
	if len(secretKey) != 32 || len(secretID) != 36 {
		t.Fatalf("example credentials mistyped: %d, %d characters", len(secretKey), len(secretID))
	}
	sig := tc3Sign(tc3Request{
		SecretID:  secretID,
		SecretKey: secretKey,
		Service:   "cvm",
		Host:      "cvm.tencentcloudapi.com",
		Action:    "DescribeInstances",
		Payload:   []byte(payload),
		Timestamp: 1551113065,
	})
	secretDate, secretService, secretSigning := tc3DeriveKeys(secretKey, "2019-02-25", "cvm")

	tests := []struct {
		name, got, want string
	}{
		{"HashedRequestPayload", sha256Hex([]byte(payload)),
			"35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"},
		{"CanonicalRequest", sig.CanonicalRequest, strings.Join([]string{
			"POST",
			"/",
			"",
			"content-type:application/json; charset=utf-8",
			"host:cvm.tencentcloudapi.com",
			"x-tc-action:describeinstances",
			"",
			"content-type;host;x-tc-action",
			"35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
		}, "\n")},
		{"HashedCanonicalRequest", sha256Hex([]byte(sig.CanonicalRequest)),
			"7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"},
		{"StringToSign", sig.StringToSign, strings.Join([]string{
			"TC3-HMAC-SHA256",
			"1551113065",
			"2019-02-25/cvm/tc3_request",
			"7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
		}, "\n")},
		{"SecretDate", hex.EncodeToString(secretDate),
			"da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0"},
		{"SecretService", hex.EncodeToString(secretService),
			"8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f"},
		{"SecretSigning", hex.EncodeToString(secretSigning),
			"b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"},
		{"Signature", sig.Signature,
			"10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"},
		{"Authorization", sig.Authorization,
			"TC3-HMAC-SHA256 Credential=" + secretID + "/2019-02-25/cvm/tc3_request, " +
				"SignedHeaders=content-type;host;x-tc-action, " +
				"Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", tt.got, tt.want)
			}
		})
	}
}

// TestTC3DateIsUTC guards the documented pitfall: 1551113065 is 2019-02-26 00:44:25 in Beijing but
// the credential date must be the UTC one, 2019-02-25, whatever the process's local zone. The test
// sets the local zone to UTC+8 for its duration; it must not run in parallel with other tests.
func TestTC3DateIsUTC(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("CST", 8*60*60)
	t.Cleanup(func() { time.Local = local })
	tests := []struct {
		timestamp int64
		scope     string
	}{
		{1551113065, "2019-02-25/sms/tc3_request"},
		{1551139199, "2019-02-25/sms/tc3_request"},
		{1551139200, "2019-02-26/sms/tc3_request"},
	}
	for _, tt := range tests {
		sig := tc3Sign(tc3Request{SecretID: "id", SecretKey: "key", Service: "sms", Host: "h", Action: "SendSms",
			Timestamp: tt.timestamp})
		if !strings.Contains(sig.StringToSign, "\n"+tt.scope+"\n") {
			t.Errorf("timestamp %d: string to sign %q lacks scope %q", tt.timestamp, sig.StringToSign, tt.scope)
		}
	}
}

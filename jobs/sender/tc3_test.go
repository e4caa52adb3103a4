package sender

import (
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The worked example of Tencent Cloud's "签名方法 v3" (Signature v3) documentation: DescribeInstances
// on cvm.tencentcloudapi.com at timestamp 1551113065, signed headers content-type;host;x-tc-action.
// The documentation prints its example SecretId and SecretKey as asterisks, and its derived keys and
// signature are those of exactly that text: the SecretKey is 32 '*' characters, the SecretId "AKID"
// followed by 32 of them. Every value below is copied from the documentation.
const (
	docSecretID  = "AKID********************************"
	docSecretKey = "********************************"
	// The body is the documentation's literal bytes: \u escapes, not decoded characters.
	docPayload          = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	docHashedPayload    = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	docCanonicalRequest = "POST\n/\n\n" +
		"content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\n" +
		"content-type;host;x-tc-action\n" + docHashedPayload
	docHashedCanonical = "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
	docStringToSign    = "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n" + docHashedCanonical
	docSecretDate      = "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0"
	docSecretService   = "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f"
	docSecretSigning   = "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"
	docSignature       = "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
	docAuthorization   = "TC3-HMAC-SHA256 Credential=" + docSecretID + "/2019-02-25/cvm/tc3_request, " +
		"SignedHeaders=content-type;host;x-tc-action, Signature=" + docSignature
)

// TestTC3DocumentedExample reproduces every intermediate value of the documented example.
func TestTC3DocumentedExample(t *testing.T) {
	if len(docSecretKey) != 32 || len(docSecretID) != 36 {
		t.Fatalf("example credentials mistyped: %d, %d characters", len(docSecretKey), len(docSecretID))
	}
	sig := tc3Sign(tc3Request{
		SecretID:  docSecretID,
		SecretKey: docSecretKey,
		Service:   "cvm",
		Host:      "cvm.tencentcloudapi.com",
		Action:    "DescribeInstances",
		Payload:   []byte(docPayload),
		Timestamp: 1551113065,
	})
	secretDate, secretService, secretSigning := tc3DeriveKeys(docSecretKey, "2019-02-25", "cvm")
	tests := []struct {
		name, got, want string
	}{
		{"HashedRequestPayload", sha256Hex([]byte(docPayload)), docHashedPayload},
		{"CanonicalRequest", sig.CanonicalRequest, docCanonicalRequest},
		{"HashedCanonicalRequest", sha256Hex([]byte(sig.CanonicalRequest)), docHashedCanonical},
		{"StringToSign", sig.StringToSign, docStringToSign},
		{"SecretDate", hex.EncodeToString(secretDate), docSecretDate},
		{"SecretService", hex.EncodeToString(secretService), docSecretService},
		{"SecretSigning", hex.EncodeToString(secretSigning), docSecretSigning},
		{"Signature", sig.Signature, docSignature},
		{"Authorization", sig.Authorization, docAuthorization},
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
// the credential date must be the UTC one, 2019-02-25, whatever the process's local zone. The checks
// run in a child process started with TZ=Asia/Shanghai: changing time.Local inside this process would
// race with every goroutine of other tests that reads the clock.
func TestTC3DateIsUTC(t *testing.T) {
	if os.Getenv("BEIAN_TC3_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTC3DateIsUTC$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BEIAN_TC3_CHILD=1", "TZ=Asia/Shanghai")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child with TZ=Asia/Shanghai: %v\n%s", err, out)
		}
		return
	}
	if _, offset := time.Unix(1551113065, 0).Zone(); offset != 8*60*60 {
		t.Fatalf("the child's local zone is %+d s from UTC, want +8 h (is tzdata installed?)", offset)
	}
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

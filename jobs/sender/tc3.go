package sender

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// TC3-HMAC-SHA256, Tencent Cloud API 3.0 request signing ("签名方法 v3"), for a JSON POST to "/".
// The signed headers are content-type, host and x-tc-action, as in the documented example.
const (
	tc3Algorithm     = "TC3-HMAC-SHA256"
	tc3ContentType   = "application/json; charset=utf-8"
	tc3SignedHeaders = "content-type;host;x-tc-action"
	tc3Terminator    = "tc3_request"
)

// tc3Request is everything a signature covers. Timestamp is Unix seconds; the credential date is
// its UTC date, never the local one.
type tc3Request struct {
	SecretID  string
	SecretKey string
	Service   string
	Host      string
	Action    string
	Payload   []byte
	Timestamp int64
}

// tc3Signature keeps the intermediate strings so a test can compare each with the documentation.
type tc3Signature struct {
	CanonicalRequest string
	StringToSign     string
	Signature        string
	Authorization    string
}

// tc3Sign computes the Authorization header value for r.
func tc3Sign(r tc3Request) tc3Signature {
	date := time.Unix(r.Timestamp, 0).UTC().Format(time.DateOnly)
	canonicalHeaders := "content-type:" + strings.ToLower(tc3ContentType) + "\n" +
		"host:" + strings.ToLower(r.Host) + "\n" +
		"x-tc-action:" + strings.ToLower(r.Action) + "\n"
	canonicalRequest := strings.Join([]string{
		"POST",
		"/",
		"",
		canonicalHeaders,
		tc3SignedHeaders,
		sha256Hex(r.Payload),
	}, "\n")
	scope := date + "/" + r.Service + "/" + tc3Terminator
	stringToSign := strings.Join([]string{
		tc3Algorithm,
		strconv.FormatInt(r.Timestamp, 10),
		scope,
		sha256Hex([]byte(canonicalRequest)),
	}, "\n")
	_, _, signingKey := tc3DeriveKeys(r.SecretKey, date, r.Service)
	signature := hex.EncodeToString(hmacSHA256(signingKey, stringToSign))
	return tc3Signature{
		CanonicalRequest: canonicalRequest,
		StringToSign:     stringToSign,
		Signature:        signature,
		Authorization: tc3Algorithm + " Credential=" + r.SecretID + "/" + scope +
			", SignedHeaders=" + tc3SignedHeaders + ", Signature=" + signature,
	}
}

// tc3DeriveKeys is the documented key chain: "TC3"+SecretKey → date → service → "tc3_request".
func tc3DeriveKeys(secretKey, date, service string) (secretDate, secretService, secretSigning []byte) {
	secretDate = hmacSHA256([]byte("TC3"+secretKey), date)
	secretService = hmacSHA256(secretDate, service)
	secretSigning = hmacSHA256(secretService, tc3Terminator)
	return secretDate, secretService, secretSigning
}

func hmacSHA256(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

package sender

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// verifyTC3 checks a received request the way Tencent's gateway would, written independently of
// tc3Sign: it reads the Authorization header, rebuilds the canonical request from the headers it
// names, the method, path, query and raw body, derives the key from secretKey and compares the
// signature. It also requires the signed headers to include content-type, host and x-tc-action.
func verifyTC3(r *http.Request, body []byte, secretID, secretKey, service string) error {
	algorithm, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if algorithm != "TC3-HMAC-SHA256" {
		return fmt.Errorf("algorithm %q", algorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ", ") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	credential := strings.Split(fields["Credential"], "/")
	if len(credential) != 4 || credential[0] != secretID || credential[2] != service || credential[3] != "tc3_request" {
		return fmt.Errorf("credential %q", fields["Credential"])
	}
	timestamp := r.Header.Get("X-TC-Timestamp")
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("X-TC-Timestamp %q", timestamp)
	}
	if date := time.Unix(seconds, 0).UTC().Format("2006-01-02"); credential[1] != date {
		return fmt.Errorf("credential date %s, timestamp date %s", credential[1], date)
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !slices.IsSorted(signed) || !slices.Contains(signed, "content-type") || !slices.Contains(signed, "host") ||
		!slices.Contains(signed, "x-tc-action") {
		return fmt.Errorf("signed headers %q", fields["SignedHeaders"])
	}
	var headers strings.Builder
	for _, name := range signed {
		value := r.Header.Get(name)
		if name == "host" {
			value = r.Host
		}
		headers.WriteString(name + ":" + strings.ToLower(strings.TrimSpace(value)) + "\n")
	}
	canonical := r.Method + "\n" + r.URL.Path + "\n" + r.URL.RawQuery + "\n" + headers.String() + "\n" +
		fields["SignedHeaders"] + "\n" + hexSum(body)
	toSign := "TC3-HMAC-SHA256\n" + timestamp + "\n" + credential[1] + "/" + service + "/tc3_request\n" +
		hexSum([]byte(canonical))
	key := mac([]byte("TC3"+secretKey), credential[1])
	key = mac(key, service)
	key = mac(key, "tc3_request")
	if want := hex.EncodeToString(mac(key, toSign)); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return fmt.Errorf("signature %s, recomputed %s over\n%s", fields["Signature"], want, canonical)
	}
	return nil
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func hexSum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

package validate_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestAndroidPackage(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"typical", "com.example.app", ""},
		{"underscore and digits", "cn.example.my_app2", ""},
		{"upper case", "com.Example.App", ""},
		{"one segment", "example", "at least two"},
		{"empty segment", "com..app", "empty segment"},
		{"trailing dot", "com.example.", "empty segment"},
		{"digit first", "com.1example", "start with a letter"},
		{"underscore first", "com._example", "start with a letter"},
		{"hyphen", "com.my-app", "letters, digits, underscores"},
		{"chinese", "com.例子", "start with a letter"},
		{"too long", "com." + strings.Repeat("a", 252), "longer than 255"},
		{"empty", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.AndroidPackage(tt.in), tt.wantErr)
		})
	}
}

func TestBundleID(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"typical", "com.example.App", ""},
		{"hyphen", "com.my-company.app-lite", ""},
		{"digit segment", "com.example.2048", ""},
		{"one segment", "App", "at least two"},
		{"empty segment", "com..app", "empty segment"},
		{"underscore", "com.my_app", "letters, digits, hyphens"},
		{"space", "com.my app", "letters, digits, hyphens"},
		{"too long", "com." + strings.Repeat("a", 252), "longer than 255"},
		{"empty", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.BundleID(tt.in), tt.wantErr)
		})
	}
}

func FuzzAppIDs(f *testing.F) {
	for _, s := range []string{"com.example.app", "com..x", "a.b", "com.my_app", ".", "1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, check := range map[string]func(string) error{
			"AndroidPackage": validate.AndroidPackage, "BundleID": validate.BundleID,
		} {
			err := check(s)
			checkFuzzResult(t, err)
			if err == nil && (len(s) > 255 || !strings.Contains(s, ".") || strings.Contains(s, "..")) {
				t.Fatalf("%s accepted %q", name, s)
			}
		}
		if validate.AndroidPackage(s) == nil && !strings.Contains(s, "_") && validate.BundleID(s) != nil {
			t.Fatalf("%q is a package name without underscores but not a bundle id", s)
		}
	})
}

func TestHexDigest(t *testing.T) {
	md5 := "5d41402abc4b2a76b9719d911017c592"
	sha1Colons := "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"
	tests := []struct {
		name, in string
		nbytes   int
		wantErr  string
	}{
		{"md5 lower", md5, validate.MD5Bytes, ""},
		{"md5 upper", strings.ToUpper(md5), validate.MD5Bytes, ""},
		{"sha1 keytool colons", sha1Colons, validate.SHA1Bytes, ""},
		{"sha1 plain", validate.NormalizeHex(sha1Colons), validate.SHA1Bytes, ""},
		{"md5 given for sha1", md5, validate.SHA1Bytes, "40 hexadecimal digits"},
		{"sha1 colons for md5", sha1Colons, validate.MD5Bytes, "16 colon-separated"},
		{"odd length", md5[:31], validate.MD5Bytes, "32 hexadecimal digits"},
		{"non-hex", "5d41402abc4b2a76b9719d911017c59g", validate.MD5Bytes, "only hexadecimal"},
		{"misplaced colon", "A99:93E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D0", validate.SHA1Bytes, "separate byte pairs"},
		{"trailing colon", md5[:30] + ":", validate.MD5Bytes, "colon-separated"},
		{"spaces", strings.ReplaceAll(sha1Colons, ":", " "), validate.SHA1Bytes, "40 hexadecimal digits"},
		{"zero bytes", "", 0, "at least one byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.HexDigest(tt.in, tt.nbytes), tt.wantErr)
		})
	}
}

func TestNormalizeHex(t *testing.T) {
	if got := validate.NormalizeHex("A9:99:3E"); got != "a9993e" {
		t.Fatalf("NormalizeHex = %q", got)
	}
}

func FuzzHexDigest(f *testing.F) {
	f.Add("5d41402abc4b2a76b9719d911017c592", 16)
	f.Add("A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D", 20)
	f.Add("::", 1)
	f.Fuzz(func(t *testing.T, s string, nbytes int) {
		err := validate.HexDigest(s, nbytes)
		checkFuzzResult(t, err)
		if err != nil {
			return
		}
		n := validate.NormalizeHex(s)
		if len(n) != 2*nbytes || validate.HexDigest(n, nbytes) != nil || validate.NormalizeHex(n) != n {
			t.Fatalf("accepted %q but its normal form %q does not re-validate", s, n)
		}
	})
}

package validate

import (
	"fmt"
	"strings"
)

// maxAppIDLen bounds Android package names and iOS bundle IDs.
const maxAppIDLen = 255

// Digest sizes in bytes of the App signature fingerprints a filing records.
const (
	MD5Bytes  = 16
	SHA1Bytes = 20
)

// AndroidPackage checks an Android package name (applicationId) as a filing records it: at most
// 255 characters, at least two dot-separated segments, each starting with an ASCII letter and
// containing only ASCII letters, digits and underscores.
func AndroidPackage(s string) error {
	if err := appIDShape(s, "android package"); err != nil {
		return err
	}
	for _, seg := range strings.Split(s, ".") {
		if !isASCIILetter(seg[0]) {
			return invalid("android package segment must start with a letter")
		}
		if strings.Trim(seg, asciiAlnum+"_") != "" {
			return invalid("android package may contain only letters, digits, underscores and dots")
		}
	}
	return nil
}

// BundleID checks an iOS bundle identifier: at most 255 characters, reverse-DNS style with at
// least two dot-separated non-empty segments, made of ASCII letters, digits and hyphens.
func BundleID(s string) error {
	if err := appIDShape(s, "bundle id"); err != nil {
		return err
	}
	if strings.Trim(s, asciiAlnum+"-.") != "" {
		return invalid("bundle id may contain only letters, digits, hyphens and dots")
	}
	return nil
}

// appIDShape checks the length and dot-separated segments shared by package names and bundle IDs.
func appIDShape(s, what string) error {
	if s == "" {
		return invalid(what + " is empty")
	}
	if len(s) > maxAppIDLen {
		return invalid(what + " is longer than 255 characters")
	}
	segs := strings.Split(s, ".")
	if len(segs) < 2 {
		return invalid(what + " must have at least two dot-separated segments")
	}
	for _, seg := range segs {
		if seg == "" {
			return invalid(what + " has an empty segment")
		}
	}
	return nil
}

const asciiAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// HexDigest checks a fingerprint of nbytes bytes written in hexadecimal, upper or lower case,
// either as 2×nbytes digits or as byte pairs separated by single colons (AB:CD:…, as keytool and
// openssl print it). Use MD5Bytes or SHA1Bytes for nbytes; NormalizeHex gives the stored form.
func HexDigest(s string, nbytes int) error {
	if nbytes < 1 {
		return invalid("digest length must be at least one byte")
	}
	digits := s
	if strings.Contains(s, ":") {
		if len(s) != 3*nbytes-1 {
			return invalid(fmt.Sprintf("digest must be %d colon-separated byte pairs", nbytes))
		}
		for i := 2; i < len(s); i += 3 {
			if s[i] != ':' {
				return invalid("digest colons must separate byte pairs")
			}
		}
		digits = strings.ReplaceAll(s, ":", "")
	}
	if len(digits) != 2*nbytes {
		return invalid(fmt.Sprintf("digest must be %d hexadecimal digits", 2*nbytes))
	}
	if strings.Trim(digits, "0123456789abcdefABCDEF") != "" {
		return invalid("digest must contain only hexadecimal digits")
	}
	return nil
}

// NormalizeHex returns s in lower case with colons removed, the form digests are stored and
// compared in. It does not validate; check with HexDigest first.
func NormalizeHex(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, ":", ""))
}

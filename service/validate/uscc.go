package validate

import (
	"fmt"
	"strings"
)

// usccCharset is the GB 32100-2015 alphabet; a character's value is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^(i-1) mod 31 for positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCodeWeights are the GB 11714 weights over the eight body characters of an organisation code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// USCC checks a unified social credit code (统一社会信用代码, GB 32100-2015): exactly 18 characters
// from 0-9 and the upper-case letters without I, O, S, V and Z; a correct check character in
// position 18; and, in positions 9–17, an organisation code (GB 11714) whose own mod-11 check
// character is correct. Lower case is refused, not folded.
func USCC(s string) error {
	if len(s) != 18 {
		return invalid("uscc must be 18 characters")
	}
	for i := 0; i < len(s); i++ {
		if err := usccChar(s[i], i); err != nil {
			return err
		}
	}
	if usccCheckChar(s[:17]) != s[17] {
		return invalid("uscc check character mismatch")
	}
	if orgCodeCheckChar(s[8:16]) != s[16] {
		return invalid("uscc organisation code check character mismatch")
	}
	return nil
}

// usccChar explains why byte c at index i is not in the USCC alphabet, or returns nil.
func usccChar(c byte, i int) error {
	switch {
	case strings.IndexByte(usccCharset, c) >= 0:
		return nil
	case c >= 'a' && c <= 'z':
		return invalid("uscc must be upper case")
	case strings.IndexByte("IOSVZ", c) >= 0:
		return invalid("uscc must not contain I, O, S, V or Z")
	default:
		return invalid(fmt.Sprintf("uscc has an invalid character at position %d", i+1))
	}
}

// usccCheckChar returns the check character for the first 17 characters of a USCC, which must
// all be in usccCharset.
func usccCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccCharset, body[i]) * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31]
}

// orgCodeCheckChar returns the GB 11714 check character for eight body characters from 0-9A-Z
// (letters count 10–35).
func orgCodeCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}

package validate

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// residentIDWeights are the GB 11643-1999 weights over the first 17 digits.
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheckChars maps the weighted sum mod 11 to the check character.
const residentIDCheckChars = "10X98765432"

// mainlandProvinceCodes are the GB/T 2260 two-digit prefixes of the 31 mainland provinces.
// 71 (Taiwan), 81 (Hong Kong) and 82 (Macao) are deliberately absent: their residents file with
// other person documents.
var mainlandProvinceCodes = [...]string{
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
	"42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
}

// ResidentID checks an 18-character mainland resident identity card number (居民身份证, GB 11643):
// 17 digits then a digit or an upper-case X; a first two digits naming one of the 31 mainland
// provinces; a birth date (digits 7–14) that is a real calendar date from 1900-01-01 up to and
// including today's date (taken from today in its own location); and a correct mod-11 check
// character. A lower-case x is refused: callers upper-case it before storing.
func ResidentID(s string, today time.Time) error {
	birth, err := ResidentIDBirthDate(s)
	if err != nil {
		return err
	}
	if birth.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
		return invalid("resident id birth date is in the future")
	}
	return nil
}

// ResidentIDBirthDate returns the birth date encoded in a resident ID number, as midnight UTC. It
// applies every check of ResidentID except the comparison with today, so an error here means the
// number itself is malformed.
func ResidentIDBirthDate(s string) (time.Time, error) {
	if len(s) != 18 {
		return time.Time{}, invalid("resident id must be 18 characters")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, invalid("resident id must start with 17 digits")
		}
	}
	last := s[17]
	if last == 'x' {
		return time.Time{}, invalid("resident id check character must be an upper-case X")
	}
	if (last < '0' || last > '9') && last != 'X' {
		return time.Time{}, invalid("resident id must end with a digit or X")
	}
	if !slices.Contains(mainlandProvinceCodes[:], s[:2]) {
		return time.Time{}, invalid("resident id region code is not a mainland province")
	}
	birth, err := residentIDBirth(s[6:14])
	if err != nil {
		return time.Time{}, err
	}
	if residentIDCheckChar(s[:17]) != last {
		return time.Time{}, invalid("resident id check character mismatch")
	}
	return birth, nil
}

// residentIDBirth parses eight digits YYYYMMDD into a real date not before 1900.
func residentIDBirth(d string) (time.Time, error) {
	year, month, day := atoiDigits(d[:4]), atoiDigits(d[4:6]), atoiDigits(d[6:8])
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return time.Time{}, invalid("resident id birth date is not a real date")
	}
	if year < 1900 {
		return time.Time{}, invalid("resident id birth date is before 1900")
	}
	return t, nil
}

// residentIDCheckChar returns the check character for 17 digits.
// CompleteResidentID appends the check character to the first 17 digits of a resident ID number, for
// test data and seed scripts that build valid numbers. It panics unless body is 17 ASCII digits.
func CompleteResidentID(body string) string {
	if len(body) != 17 || strings.IndexFunc(body, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		panic("validate: CompleteResidentID needs 17 digits, got " + strconv.Quote(body))
	}
	return body + string(residentIDCheckChar(body))
}

func residentIDCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * residentIDWeights[i]
	}
	return residentIDCheckChars[sum%11]
}

// atoiDigits converts a short string of ASCII digits, already checked, to an int.
func atoiDigits(d string) int {
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}

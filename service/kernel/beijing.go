package kernel

import (
	"time"
	_ "time/tzdata" // the static image has no zoneinfo; embed it so Asia/Shanghai always loads
)

// Beijing is China Standard Time (Asia/Shanghai, UTC+8 with no daylight saving since 1991). Filing
// business dates are Beijing calendar dates: the year of a filing number, the last day a document
// is valid, a person's age from the birth date on their ID, and how many days an order sat idle.
// Instants stay in UTC everywhere else; convert with In(Beijing) only to read a calendar date.
var Beijing = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("load time zone " + name + ": " + err.Error()) // tzdata is embedded: cannot happen
	}
	return loc
}

// BeijingDate is the Beijing calendar date of t, as midnight UTC of that date, so dates compare
// with each other and with dates parsed by time.Parse(time.DateOnly, …).
func BeijingDate(t time.Time) time.Time {
	y, m, d := t.In(Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// BeijingYear is the Beijing calendar year of t.
func BeijingYear(t time.Time) int { return t.In(Beijing).Year() }

// BeijingDaysBetween counts the Beijing calendar days from the date of a to the date of b: 0 on
// the same date, 1 from one evening to the next morning.
func BeijingDaysBetween(a, b time.Time) int {
	return int(BeijingDate(b).Sub(BeijingDate(a)) / (24 * time.Hour))
}

// AgeOn is the age in whole years on the Beijing date of today of someone born on birth (a
// calendar date; its clock and location are ignored). Someone born on 29 February turns a year
// older on 1 March in common years.
func AgeOn(birth, today time.Time) int {
	t := BeijingDate(today)
	by, bm, bd := birth.Date()
	age := t.Year() - by
	if t.Month() < bm || (t.Month() == bm && t.Day() < bd) {
		age--
	}
	return age
}

package kernel_test

import (
	"testing"
	"time"

	"github.com/beian/beian/service/kernel"
)

func TestBeijingCalendar(t *testing.T) {
	newYearEve := time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC) // 00:30 on 1 January 2026 in Beijing
	if got := kernel.BeijingYear(newYearEve); got != 2026 {
		t.Errorf("BeijingYear(%v) = %d, want 2026", newYearEve, got)
	}
	if got := kernel.BeijingYear(newYearEve.Add(-time.Hour)); got != 2025 {
		t.Errorf("an hour earlier: %d, want 2025", got)
	}
	if got, want := kernel.BeijingDate(newYearEve), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("BeijingDate = %v, want %v", got, want)
	}
	evening := time.Date(2026, 3, 1, 15, 0, 0, 0, time.UTC) // 23:00 Beijing
	if got := kernel.BeijingDaysBetween(evening, evening.Add(2*time.Hour)); got != 1 {
		t.Errorf("23:00 to 01:00 Beijing is %d days, want 1", got)
	}
	if got := kernel.BeijingDaysBetween(evening, evening.Add(-2*time.Hour)); got != 0 {
		t.Errorf("same Beijing date is %d days, want 0", got)
	}
}

func TestAgeOn(t *testing.T) {
	newYear := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)
	leapDay := time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		birth, now time.Time
		want       int
	}{
		{"UTC eve of the birthday is the birthday in Beijing", newYear, time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC), 18},
		{"an hour before Beijing midnight", newYear, time.Date(2025, 12, 31, 15, 0, 0, 0, time.UTC), 17},
		{"leap-day birthday on 28 February of a common year", leapDay, time.Date(2025, 2, 28, 4, 0, 0, 0, time.UTC), 16},
		{"leap-day birthday on 1 March of a common year", leapDay, time.Date(2025, 3, 1, 4, 0, 0, 0, time.UTC), 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kernel.AgeOn(tt.birth, tt.now); got != tt.want {
				t.Errorf("AgeOn = %d, want %d", got, tt.want)
			}
		})
	}
}

package filing

import (
	"slices"
	"testing"
	"time"
)

// TestDocumentExpiryOnBeijingDates: a document valid to 31 December has expired at 00:30 on
// 1 January Beijing time (16:30 UTC on 31 December), not an hour before midnight there; an age
// limit is met on the Beijing birthday.
func TestDocumentExpiryOnBeijingDates(t *testing.T) {
	s := enterprise("46")
	s.Principal.DocLongTerm, s.Principal.DocValidTo = false, "2026-12-31"
	o := orderWith(OrderNewFiling, s, website(1, "example.cn", s.Principal))
	expired := "subject.principal.doc_valid_to EXPIRED"
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"23:30 on 31 December in Beijing", time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC), false},
		{"00:30 on 1 January in Beijing", time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var keys []string
			for _, it := range EvaluateRequirements(RequirementInput{Order: o, Today: tt.now}).Items {
				keys = append(keys, it.Key+" "+it.Code)
			}
			if got := slices.Contains(keys, expired); got != tt.want {
				t.Errorf("expired = %v, want %v (%v)", got, tt.want, keys)
			}
		})
	}

	// Tianjin: 18 on the Beijing date of the birthday.
	minor := individualBorn("12", "120101", "20090101")
	young := "subject.cert_number TOO_YOUNG"
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{{time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC), true}, {time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC), false}} {
		var keys []string
		for _, it := range EvaluateRequirements(RequirementInput{Order: minor, Today: tt.now}).Items {
			keys = append(keys, it.Key+" "+it.Code)
		}
		if got := slices.Contains(keys, young); got != tt.want {
			t.Errorf("at %v: too young = %v, want %v", tt.now, got, tt.want)
		}
	}
}

package filing

import "testing"

func TestProposalHasField(t *testing.T) {
	p := Proposal{Services: []ServiceInfo{{ID: 1}, {ID: 3}}}
	tests := []struct {
		path string
		want bool
	}{
		{"subject", true},
		{"subject.name", true},
		{"subject.principal", true},
		{"subject.principal.mobile", true},
		{"subject.principal.colour", false},
		{"subject.name.first", false},
		{"subject.colour", false},
		{"services.1.name", true},
		{"services.3", true},
		{"services.3.principal.email", true},
		{"services.2.name", false},
		{"services.x.name", false},
		{"services", false},
		{"agreements", true},
		{"agreements.0", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := p.HasField(tc.path); got != tc.want {
			t.Errorf("HasField(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

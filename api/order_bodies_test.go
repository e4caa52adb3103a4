package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/service/filing"
)

// TestOrderBodiesEncodeOncePerVersion: the cached body is exactly what encoding the order gives
// (ID numbers and phones masked), it is reused for the same version and update time, and any
// other version or update time of the order is encoded afresh.
func TestOrderBodiesEncodeOncePerVersion(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := filing.Order{ID: 7, AccountID: 1, Type: filing.OrderNewFiling, Status: filing.StatusDraft, Version: 3, CreatedAt: at, UpdatedAt: at,
		Proposal: filing.Proposal{Subject: filing.SubjectInfo{Name: "甲", Principal: filing.Person{Name: "张三", DocType: 2,
			DocNumber: "11010519491231002X", Mobile: "13800138000"}}, Services: []filing.ServiceInfo{{ID: 1, Name: "一号", Domains: []string{"a.cn"}}}}}
	b := newOrderBodies()
	first, err := b.body(o)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(toOrderDTO(o))
	if !bytes.Equal(first, want) {
		t.Fatalf("body %s, want %s", first, want)
	}
	if strings.Contains(string(first), "11010519491231002X") || strings.Contains(string(first), "13800138000") {
		t.Fatalf("body carries an unmasked ID number or phone: %s", first)
	}
	again, _ := b.body(o)
	if &again[0] != &first[0] {
		t.Fatal("the same version was encoded again")
	}

	changed := o
	changed.Proposal.Subject.Name = "乙"
	tests := []struct {
		name   string
		modify func(*filing.Order)
	}{
		{"next version", func(o *filing.Order) { o.Version++ }},
		{"same version, other update time", func(o *filing.Order) { o.UpdatedAt = o.UpdatedAt.Add(time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := changed
			tt.modify(&next)
			got, err := b.body(next)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(toOrderDTO(next))
			if !bytes.Equal(got, want) || !strings.Contains(string(got), `"乙"`) {
				t.Fatalf("body %s, want %s", got, want)
			}
		})
	}
}

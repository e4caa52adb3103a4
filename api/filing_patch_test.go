package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

const patchBase = `{"subject":{"name":"甲","principal":{"name":"张三","mobile":"13800138000"}},` +
	`"services":[{"id":1,"name":"一号","domains":["a.cn"]},{"id":2,"name":"二号"}],"agreements":[]}`

func TestMergeProposal(t *testing.T) {
	tests := []struct {
		name, patch, want string
	}{
		{"nested field", `{"subject":{"principal":{"mobile":"13900139000"}}}`,
			`{"agreements":[],"services":[{"domains":["a.cn"],"id":1,"name":"一号"},{"id":2,"name":"二号"}],"subject":{"name":"甲","principal":{"mobile":"13900139000","name":"张三"}}}`},
		{"null removes", `{"subject":{"name":null}}`,
			`{"agreements":[],"services":[{"domains":["a.cn"],"id":1,"name":"一号"},{"id":2,"name":"二号"}],"subject":{"principal":{"mobile":"13800138000","name":"张三"}}}`},
		{"services by id, new, dropped", `{"services":[{"id":2,"name":"二"},{"name":"新"}]}`,
			`{"agreements":[],"services":[{"id":2,"name":"二"},{"name":"新"}],"subject":{"name":"甲","principal":{"mobile":"13800138000","name":"张三"}}}`},
		{"services null empties", `{"services":null}`,
			`{"agreements":[],"services":[],"subject":{"name":"甲","principal":{"mobile":"13800138000","name":"张三"}}}`},
	}
	for _, tt := range tests {
		got, err := mergeProposal([]byte(patchBase), []byte(tt.patch))
		if err != nil || string(got) != tt.want {
			t.Errorf("%s:\n got %s %v\nwant %s", tt.name, got, err, tt.want)
		}
	}
	for _, bad := range []string{`[]`, `1`, `{"services":{}}`, `{"services":[1]}`, `{} {}`, `{`} {
		if _, err := mergeProposal([]byte(patchBase), []byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestProposalPatchReportsFields(t *testing.T) {
	tests := []struct{ body, field string }{
		{`{"subject":{"nature":"four"}}`, "subject.nature"},
		{`{"subject":{"hobby":"x"}}`, "hobby"},
		{`{"services":"all"}`, "body"},
	}
	for _, tt := range tests {
		p := filing.Proposal{}
		err := proposalPatch([]byte(tt.body))(&p)
		var fe kernel.FieldErrors
		if !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%s: %v, want a field error on %s", tt.body, err, tt.field)
		}
	}
}

// FuzzMergeProposal: merging never panics, yields a JSON object, and is idempotent.
func FuzzMergeProposal(f *testing.F) {
	for _, s := range []string{`{}`, `{"subject":{"name":null}}`, `{"services":[{"id":1},{"name":"x"}]}`,
		`{"services":[{"id":1},{"id":1}]}`, `{"services":[{"id":"1"}]}`, `{"agreements":["a"],"x":{"y":null}}`, `[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, patch string) {
		once, err := mergeProposal([]byte(patchBase), []byte(patch))
		if err != nil {
			return
		}
		var doc map[string]any
		if err := json.Unmarshal(once, &doc); err != nil {
			t.Fatalf("merged %q into invalid JSON %s", patch, once)
		}
		twice, err := mergeProposal(once, []byte(patch))
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("patch %q is not idempotent:\n%s\n%s (%v)", patch, once, twice, err)
		}
		p := filing.Proposal{Services: []filing.ServiceInfo{{ID: 1}}}
		var fe kernel.FieldErrors
		if err := proposalPatch([]byte(patch))(&p); err != nil && !errors.As(err, &fe) {
			t.Fatalf("patch %q: %v is not a field error", patch, err)
		}
	})
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

var errPatchShape = errors.New("merge patch: the body must be a JSON object and services an array of objects")

// mergeProposal applies a JSON merge patch (RFC 7396) to the proposal document cur, with one
// refinement for "services": an element whose "id" names a current service is a merge patch of
// that service, any other element is a new service, and services left out are removed. So a
// client changes one field of one service by sending {"services":[{"id":1},{"id":2,"name":"…"}]}
// without repeating (or ever seeing unmasked) the rest.
func mergeProposal(cur, patch []byte) ([]byte, error) {
	doc, err := decodeObject(cur)
	if err != nil {
		return nil, err
	}
	p, err := decodeObject(patch)
	if err != nil {
		return nil, err
	}
	for k, v := range p {
		switch {
		case k == "services":
			merged, err := mergeServices(doc[k], v)
			if err != nil {
				return nil, err
			}
			doc[k] = merged
		case v == nil:
			delete(doc, k)
		default:
			doc[k] = mergeValue(doc[k], v)
		}
	}
	return json.Marshal(doc)
}

func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errPatchShape
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errPatchShape
	}
	return m, nil
}

// mergeValue is RFC 7396's MergePatch(target, patch).
func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}

func mergeServices(cur, patch any) ([]any, error) {
	if patch == nil {
		return []any{}, nil
	}
	list, ok := patch.([]any)
	if !ok {
		return nil, errPatchShape
	}
	byID := map[string]map[string]any{}
	curList, _ := cur.([]any)
	for _, c := range curList {
		if m, ok := c.(map[string]any); ok && byID[idText(m["id"])] == nil {
			byID[idText(m["id"])] = m // the first of duplicate ids is the one an element patches
		}
	}
	out := make([]any, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, errPatchShape
		}
		var base any
		if id := idText(m["id"]); id != "" && id != "0" {
			if existing, ok := byID[id]; ok {
				base = existing
				delete(byID, id) // a second element with the same id is a new copy, refused later
			}
		}
		out[i] = mergeValue(base, m)
	}
	return out, nil
}

func idText(v any) string {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return ""
}

// proposalPatch turns a merge-patch body into the edit the order use case applies in its
// transaction: current proposal → DTO → merged → DTO → proposal.
func proposalPatch(body []byte) filing.ProposalEdit {
	return func(p *filing.Proposal) error {
		cur, err := json.Marshal(toProposalDTO(*p, masker{}))
		if err != nil {
			return err
		}
		merged, err := mergeProposal(cur, body)
		if err != nil {
			return kernel.FieldErrors{"body": kernel.CodeInvalid}
		}
		var dto proposalDTO
		dec := json.NewDecoder(bytes.NewReader(merged))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&dto); err != nil {
			return jsonFieldErrors(err)
		}
		dto.applyTo(p)
		return nil
	}
}

// jsonFieldErrors names the field a decoding error is about.
func jsonFieldErrors(err error) kernel.FieldErrors {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return kernel.FieldErrors{typeErr.Field: kernel.CodeInvalid}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return kernel.FieldErrors{strings.Trim(f, `"`): "UNKNOWN_FIELD"}
	}
	return kernel.FieldErrors{"body": kernel.CodeInvalid}
}

package notify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEveryTemplateRendersWithItsParameters(t *testing.T) {
	seen := map[string]bool{}
	for _, tpl := range messageTemplates() {
		t.Run(tpl.key, func(t *testing.T) {
			if seen[tpl.key] {
				t.Fatalf("duplicate template key")
			}
			seen[tpl.key] = true
			params := map[string]string{}
			for _, p := range tpl.params {
				params[p] = "〈" + p + "〉"
			}
			text, err := tpl.render(params)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tpl.params {
				if !strings.Contains(text, params[p]) {
					t.Errorf("parameter %s not used in %q", p, text)
				}
			}
			if tpl.subject == "" || !utf8.ValidString(text) || utf8.RuneCountInString(text) > 200 {
				t.Errorf("subject %q, text %q (%d runes)", tpl.subject, text, utf8.RuneCountInString(text))
			}
			if len(tpl.params) > 0 {
				delete(params, tpl.params[0])
				if _, err := tpl.render(params); err == nil {
					t.Errorf("rendered without %s", tpl.params[0])
				}
			}
		})
	}
}

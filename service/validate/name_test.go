package validate_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestName(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"chinese", "海平网", ""},
		{"mixed latin", "ABC科技官网", ""},
		{"with digits", "2048小游戏", ""},
		{"inner space", "海平 工作室", ""},
		{"allowed symbols", "《海平》读书笔记", ""},
		{"middle dot", "阿凡提·故事", ""},
		{"fifty runes", strings.Repeat("海", 50), ""},
		{"two runes", "海平", "3 to 50"},
		{"fifty-one runes", strings.Repeat("海", 51), "3 to 50"},
		{"pure digits", "12345", "chinese characters"},
		{"pure latin", "My Blog", "chinese characters"},
		{"latin punctuation only", "---", "chinese characters"},
		{"domain as name", "example.com", "not allowed"},
		{"chinese with dot", "海平网.cn", "not allowed"},
		{"emoji", "海平网🚀", "not allowed"},
		{"special symbol", "海平网#1", "not allowed"},
		{"leading space", " 海平网", "spaces"},
		{"double space", "海平  网站", "spaces"},
		{"invalid utf-8", "海平\xff", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.Name(tt.in), tt.wantErr)
		})
	}
}

func TestReservedPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"中国旅游网", true},
		{"中华文化", true},
		{"中央厨房", true},
		{"人民生活", true},
		{"人大代表之家", true},
		{"国家地理爱好者", true},
		{" 中国旅游网", true},
		{"我爱中国", false},
		{"海平网", false},
		{"中", false},
	}
	for _, tt := range tests {
		if got := validate.ReservedPrefix(tt.in); got != tt.want {
			t.Errorf("ReservedPrefix(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"海平网", "My Blog", "中国旅游网", "海平网🚀", "\xff\xfe", "《》、"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validate.Name(s)
		checkFuzzResult(t, err)
		_ = validate.ReservedPrefix(s)
		if err != nil {
			return
		}
		if strings.TrimSpace(s) != s || strings.ContainsAny(s, ".@#") {
			t.Fatalf("accepted %q", s)
		}
		if validate.Name(s+strings.Repeat("海", 50)) == nil {
			t.Fatalf("accepted %q plus 50 characters", s)
		}
	})
}

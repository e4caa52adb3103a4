package validate_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

// checkResult fails t unless err is nil (wantMsg == "") or wraps validate.ErrInvalid with a
// message containing wantMsg.
func checkResult(t *testing.T, err error, wantMsg string) {
	t.Helper()
	if wantMsg == "" {
		if err != nil {
			t.Fatalf("want valid, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want error containing %q, got nil", wantMsg)
	}
	if !errors.Is(err, validate.ErrInvalid) {
		t.Fatalf("error %v does not wrap ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Fatalf("error %q does not contain %q", err, wantMsg)
	}
}

// checkFuzzResult fails t when a rejection does not wrap validate.ErrInvalid.
func checkFuzzResult(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, validate.ErrInvalid) {
		t.Fatalf("error %v does not wrap ErrInvalid", err)
	}
}

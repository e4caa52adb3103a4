package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium tab for one test, with its own profile directory.
type browser struct {
	ctx  context.Context // the tab, bounded by the test's time
	tab  context.Context // the tab without that bound, for the failure screenshot
	name string
}

// chromiumPath finds Debian's chromium (or BEIAN_TEST_CHROMIUM). Without one the browser tests
// skip on a developer's machine and fail in CI, where .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("BEIAN_TEST_CHROMIUM"), "chromium", "chromium-browser"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it with apt-get install chromium")
	}
	t.Skip("chromium is not installed (apt-get install chromium); the browser tests need it")
	return ""
}

// newBrowser starts Chromium at a width×height window and returns a tab. When the test fails,
// a screenshot of the tab is written to BEIAN_TEST_SCREENSHOTS (or the system temp directory)
// and its path logged.
func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	b := &browser{ctx: ctx, tab: tab, name: strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshotOnFailure(t)
		}
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return b
}

func (b *browser) screenshotOnFailure(t *testing.T) {
	dir := os.Getenv("BEIAN_TEST_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "beian-screenshots")
	}
	ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("failure screenshot: %v", err)
		return
	}
	path := filepath.Join(dir, b.name+".png")
	if err = os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Logf("failure screenshot: %v", err)
		return
	}
	t.Logf("failure screenshot: %s", path)
}

// do runs steps in the tab and fails the test with what on error.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the element the CSS selector finds.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// docScreenshot writes the page as docs/<name>.png when BEIAN_DOCS_SCREENSHOTS names the docs
// folder; the README's pictures are taken this way.
func (b *browser) docScreenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("BEIAN_DOCS_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

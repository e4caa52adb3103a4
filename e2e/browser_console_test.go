package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/beian/beian/service/account"
	"github.com/chromedp/chromedp"
)

// TestBrowserConsoleReviewToApproval drives the reviewers' console in Chromium at a desktop
// viewport: login with a password, the queue, the order, claim, approve, hand to the bureau.
func TestBrowserConsoleReviewToApproval(t *testing.T) {
	e := newFilingEnv(t)
	tk := e.login(t, "13800138430").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	const reviewer = "13900139430"
	if _, err := e.app.Staff.EnsureUser(context.Background(), reviewer, account.RoleReviewer, reviewerPassword); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, 1366, 900)
	b.do(t, "open the console", chromedp.Navigate(e.client.Base()+"/console"), chromedp.WaitVisible(chromedp.CSS("#login")))
	b.docScreenshot(t, "console-login")
	b.do(t, "log in", chromedp.SendKeys(chromedp.CSS("#phone"), reviewer),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword), chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("table.queue")))
	link := fmt.Sprintf(`a[href="/console/orders/%d"]`, id)
	b.do(t, "the order in the queue", chromedp.WaitVisible(chromedp.CSS(link)))
	b.docScreenshot(t, "console-queue")

	b.do(t, "open the order and claim it", chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS("#claim")),
		chromedp.Click(chromedp.CSS("#claim")), chromedp.WaitVisible(chromedp.CSS("#decision")))
	if got := b.text(t, "#done"); !strings.Contains(got, "已领取") {
		t.Fatalf("after claiming: %q", got)
	}
	b.docScreenshot(t, "console-order")
	b.do(t, "approve", chromedp.Click(chromedp.CSS("#outcome-approve")), chromedp.Click(chromedp.CSS("#decide")),
		chromedp.WaitVisible(chromedp.CSS("#to-bureau")))
	if got := b.text(t, "#status"); got != "待提交管局" {
		t.Fatalf("status after approval: %q", got)
	}
	if got := e.orderStatus(t, tk, id); got != "pending_bureau" {
		t.Fatalf("the applicant sees %s after approval", got)
	}
	b.do(t, "hand to the bureau", chromedp.Click(chromedp.CSS("#to-bureau")), chromedp.WaitVisible(chromedp.CSS("#bureau-result")))
	if got := e.orderStatus(t, tk, id); got != "sms_verifying" {
		t.Fatalf("the applicant sees %s after the hand-off", got)
	}
}

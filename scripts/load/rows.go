package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

// workerConcurrency is the worker's default number of concurrent tasks (jobs.WorkerOptions).
const workerConcurrency = 10

func (l *load) rows() []row {
	s := l.s
	get := func(url string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+l.token)
			_, err = expect(l.client, req, http.StatusOK)
			return err
		}
	}
	return []row{
		{key: "orders", name: "GET /orders/{id} req/s ÷ bare net/http + database/sql (same JWT check, row, decryption)", goal: "≥ 0.9", cpu: true, warm: true,
			subject: func(ctx context.Context) (float64, error) {
				return timed(ctx, s.conc, s.duration, get(fmt.Sprintf("%s/api/v1/orders/%d", s.base, l.orderID)))
			},
			bare: func(ctx context.Context) (float64, error) {
				return timed(ctx, s.conc, s.duration, get(fmt.Sprintf("%s/orders/%d", l.bareURL, l.orderID)))
			}},
		{key: "healthz", name: "GET /healthz ÷ bare net/http", goal: "≥ 0.9", cpu: true, warm: true,
			subject: func(ctx context.Context) (float64, error) {
				return timed(ctx, s.conc, s.duration, get(s.base+"/healthz"))
			},
			bare: func(ctx context.Context) (float64, error) {
				return timed(ctx, s.conc, s.duration, get(l.bareURL+"/healthz"))
			}},
		{key: "scans", name: "distinct QR scans/s ÷ bare conditional UPDATE", goal: "≥ 0.7", subject: l.scans, bare: l.bareScans},
		{key: "scanfloor", name: "distinct QR scans/s ÷ bare net/http scan (same per-address limit, conditional UPDATE, session token)",
			goal: "floor", cpu: true, subject: l.scans, bare: l.bareScansOverHTTP},
		{key: "qr", name: "first qr.png fetch over HTTP ÷ bare qrcode.Encode", goal: "≥ 1.0", subject: l.firstQRs,
			bare: func(ctx context.Context) (float64, error) {
				urls := randomQRURLs(l.a.Config.VerifyPageURL(), s.qrs)
				return fixed(ctx, s.conc, s.qrs, func(i int) error { return bareQR(urls[i]) })
			}},
		{key: "upload", name: "material upload (2 MP JPEG) time ÷ decode + re-encode", goal: "≤ 0.1", timeRatio: true, subject: l.uploads,
			cpu: true, bareHere: true,
			bare: func(ctx context.Context) (float64, error) {
				return fixed(ctx, s.conc, s.uploads, func(int) error { return bareUpload(l.photo) })
			}},
		{key: "uploadfloor", name: "material upload (2 MP JPEG) time ÷ bare net/http upload (same JWT check, multipart, SHA-256, durable write)",
			goal: "floor", timeRatio: true, cpu: true, subject: l.uploads,
			bare: func(ctx context.Context) (float64, error) {
				return l.postUploads(ctx, func(int) string { return l.bareURL + "/materials" })
			}},
		{key: "notify", name: fmt.Sprintf("%d notifications end to end ÷ bare asynq enqueue + process", s.notifications), goal: "≥ 0.6",
			subject: l.notifications,
			bare: func(ctx context.Context) (float64, error) {
				return l.bareAsynq(ctx, s.notifications, workerConcurrency)
			}},
	}
}

// scans scans distinct fresh QR codes through the API, each from its own client address (the
// server must trust 127.0.0.1 as a proxy), and expects every scan to win.
func (l *load) scans(ctx context.Context) (float64, error) {
	orders, err := l.cloneOrders(ctx, l.s.scans)
	if err != nil {
		return 0, err
	}
	_, urls, err := l.issueQRs(ctx, orders)
	if err != nil {
		return 0, err
	}
	tokens := make([]string, len(urls))
	for i, u := range urls {
		tokens[i] = strings.TrimPrefix(u, l.a.Config.VerifyPageURL())
	}
	return l.postScans(ctx, l.s.base+"/api/v1/verification-scans", tokens)
}

// postScans posts each token once to url as a scan, each from its own client address, and expects
// every scan to win.
func (l *load) postScans(ctx context.Context, url string, tokens []string) (float64, error) {
	return fixed(ctx, l.s.conc, len(tokens), func(i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"token":"`+tokens[i]+`"}`))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&0xff, i>>8&0xff, i&0xff))
		_, err = expect(l.client, req, http.StatusOK)
		return err
	})
}

func (l *load) bareScans(ctx context.Context) (float64, error) {
	_, hashes, err := l.bareTokens(ctx)
	if err != nil {
		return 0, err
	}
	return fixed(ctx, l.s.conc, len(hashes), func(i int) error { return l.bareScan(ctx, hashes[i]) })
}

// bareScansOverHTTP scans fresh tokens through the bare server's scan (bareScanOverHTTP).
func (l *load) bareScansOverHTTP(ctx context.Context) (float64, error) {
	tokens, _, err := l.bareTokens(ctx)
	if err != nil {
		return 0, err
	}
	return l.postScans(ctx, l.bareURL+"/verification-scans", tokens)
}

// bareTokens inserts -scans fresh tokens of one verification for the bare scans.
func (l *load) bareTokens(ctx context.Context) (tokens, hashes []string, err error) {
	q, err := l.a.Verifications.RequestQR(ctx, l.userID, l.orderID, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	if err != nil {
		return nil, nil, err
	}
	return l.bareScanTokens(ctx, q.VerificationID, l.s.scans)
}

// firstQRs fetches the QR image of fresh verifications, once each.
func (l *load) firstQRs(ctx context.Context) (float64, error) {
	orders, err := l.cloneOrders(ctx, l.s.qrs)
	if err != nil {
		return 0, err
	}
	ids, _, err := l.issueQRs(ctx, orders)
	if err != nil {
		return 0, err
	}
	return fixed(ctx, l.s.conc, len(ids), func(i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/verifications/%d/qr.png", l.s.base, ids[i]), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+l.token)
		_, err = expect(l.client, req, http.StatusOK)
		return err
	})
}

func randomQRURLs(base string, n int) []string {
	urls := make([]string, n)
	for i := range urls {
		t, _ := kernel.RandomToken()
		urls[i] = base + t
	}
	return urls
}

// uploads sends the 2 MP colour JPEG as a subject certificate (a colour-checked kind), each client
// to an order of its own, as many applicants uploading at once do. (Uploads to one order queue on
// its row: every material change bumps the order's version in its transaction, so that an edit of
// the order and a material change cannot interleave.)
func (l *load) uploads(ctx context.Context) (float64, error) {
	orders, err := l.cloneOrders(ctx, l.s.conc)
	if err != nil {
		return 0, err
	}
	return l.postUploads(ctx, func(i int) string {
		return fmt.Sprintf("%s/api/v1/orders/%d/materials", l.s.base, orders[i%len(orders)])
	})
}

// postUploads posts -uploads multipart uploads of the photo, the i-th to url(i).
func (l *load) postUploads(ctx context.Context, url func(i int) string) (float64, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", "subject_certificate")
	fw, err := mw.CreateFormFile("file", "licence.jpg")
	if err == nil {
		_, err = fw.Write(l.photo)
	}
	if err != nil || mw.Close() != nil {
		return 0, errors.Join(err, errors.New("build multipart body"))
	}
	payload := body.Bytes()
	return fixed(ctx, l.s.conc, l.s.uploads, func(i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url(i), bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+l.token)
		_, err = expect(l.client, req, http.StatusCreated)
		return err
	})
}

// notifications writes outbox rows in batches of 500 and dispatches them as the API does, then
// waits until the server's worker has sent every one of them through the development sender.
func (l *load) notifications(ctx context.Context) (float64, error) {
	outbox := repository.NewOutboxRepo(l.a.DB, l.cipher)
	n := l.s.notifications
	first, last := int64(0), int64(0)
	start := time.Now()
	for i := 0; i < n; i += 500 {
		ns := make([]notify.Notification, min(500, n-i))
		for j := range ns {
			ns[j] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode, Recipient: "13800138000",
				Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: kernel.SystemClock()}
		}
		ids, err := outbox.Add(ctx, ns...)
		if err != nil {
			return 0, err
		}
		if first == 0 {
			first = ids[0]
		}
		last = ids[len(ids)-1]
		refs := make([]notify.NotificationRef, len(ids))
		for j, id := range ids {
			refs[j] = notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}
		}
		if err := l.a.Enqueuer.Dispatch(ctx, refs...); err != nil {
			return 0, err
		}
	}
	// Wait until no row of the run is waiting any more. The count reads the waiting rows through
	// the status index, so it gets cheaper as the backlog drains (counting the sent rows instead
	// read every row of the run, 50,000 on average, twenty times a second: load on the database
	// that the baseline does not have).
	deadline := time.Now().Add(30 * time.Minute)
	for {
		var waiting int64
		if err := l.sqlDB.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE status IN (?, ?, ?) AND id BETWEEN ? AND ?",
			string(notify.NotificationPending), string(notify.NotificationEnqueued), string(notify.NotificationSending),
			first, last).Scan(&waiting); err != nil {
			return 0, err
		}
		if waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d of %d notifications still waiting after 30 minutes", waiting, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rate := float64(n) / time.Since(start).Seconds()
	var sent int64
	if err := l.sqlDB.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE id BETWEEN ? AND ? AND status = ?",
		first, last, string(notify.NotificationSent)).Scan(&sent); err != nil {
		return 0, err
	}
	if sent != int64(n) {
		return 0, fmt.Errorf("%d of %d notifications sent, the others failed", sent, n)
	}
	return rate, nil
}

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/imaging/imagingtest"
)

// BenchmarkUploadVsBare is issue 12's row of scripts/load on one goroutine: a 2 MP colour JPEG
// posted as multipart to POST /orders/{id}/materials (kind subject_certificate, colour-checked)
// through the real router (auth, multipart parsing, material.Process, sealing, the blob written
// and synced to a temporary directory, the row), interleaved with the bare baseline of the load
// script (jpeg.Decode + jpeg.Encode at quality 92 of the same photo). Interleaving keeps the two
// under the same machine load, so their ratios are the figures to read: cpu-ratio is the process
// CPU (user + system, garbage collection included) of one upload over one bare round, wall-ratio
// the same for elapsed time (which also counts the fsyncs' waiting).
func BenchmarkUploadVsBare(b *testing.B) {
	h, path, token := uploadServer(b)
	photo := imagingtest.GradientPhoto(b, 1920, 1080)
	body, contentType := uploadBody(b, photo)
	upload := func() {
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("upload: %d %s", rec.Code, rec.Body)
		}
	}
	bare := func() {
		img, err := jpeg.Decode(bytes.NewReader(photo))
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 92}); err != nil {
			b.Fatal(err)
		}
	}
	upload() // the first upload creates the order's blob directory
	var upCPU, upWall, bareCPU, bareWall time.Duration
	for b.Loop() {
		c, w := measure(upload)
		upCPU, upWall = upCPU+c, upWall+w
		c, w = measure(bare)
		bareCPU, bareWall = bareCPU+c, bareWall+w
	}
	n := float64(b.N)
	b.ReportMetric(float64(upCPU.Microseconds())/n, "upload-cpu-µs/op")
	b.ReportMetric(float64(bareCPU.Microseconds())/n, "bare-cpu-µs/op")
	b.ReportMetric(float64(upCPU)/float64(bareCPU), "cpu-ratio")
	b.ReportMetric(float64(upWall)/float64(bareWall), "wall-ratio")
}

// measure runs f and returns the process CPU time (all threads, user and system) and the wall time
// it took.
func measure(f func()) (cpu, wall time.Duration) {
	c0, t0 := processCPU(), time.Now()
	f()
	return processCPU() - c0, time.Since(t0)
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// uploadServer builds the API on a test database and Redis (no worker) with one applicant and
// one draft order, returning the router, the order's materials path and an access token.
func uploadServer(b *testing.B) (http.Handler, string, string) {
	b.Helper()
	db, rd := dbtest.New(b), redistest.New(b)
	cfg, err := config.Load(append([]string{"BEIAN_DATABASE_URL=" + db.URL, "BEIAN_FILES_DIR=" + b.TempDir()}, rd.Env()...))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(testLogWriter{b}, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); a.Close() })
	u, err := repository.NewUserRepo(a.DB).CreateUser(ctx, account.User{Phone: "13800138000", Role: account.RoleApplicant, CreatedAt: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := a.Tokens.IssueAccess(u, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	o, err := a.Orders.Create(ctx, u.ID, filing.NewOrder{Type: "new_filing"})
	if err != nil {
		b.Fatal(err)
	}
	h, err := a.Router()
	if err != nil {
		b.Fatal(err)
	}
	return h, fmt.Sprintf("/api/v1/orders/%d/materials", o.ID), token
}

// uploadBody is the multipart body the load script posts: the kind field, then the file.
func uploadBody(b *testing.B, photo []byte) ([]byte, string) {
	b.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("kind", "subject_certificate"); err != nil {
		b.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", "photo.jpg")
	if err == nil {
		_, err = fw.Write(photo)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

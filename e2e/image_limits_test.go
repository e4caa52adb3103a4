package e2e

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/beian/beian/app"
	"github.com/beian/beian/service/face/facetest"
	"github.com/beian/beian/service/imaging/imagingtest"
	"github.com/beian/beian/service/verification"
)

// hostileBudget is the image memory budget TestHostilePNGsKeepTheHeapBounded runs under.
const hostileBudget = 256 << 20

// TestHostilePNGsKeepTheHeapBounded fires 20 concurrent uploads of small PNGs that declare big
// 16-bit images: ten of 4000×4000 (130 KB each, 128 MB of pixels once decoded: within the per-image
// limit, so they are decoded, at most two at a time under the 256 MiB budget) and ten of 6300×6300
// (320 KB each, 318 MB of pixels: refused from the header, never decoded). Unbounded, the ten
// decodes alone would hold 1.28 GB at once.
//
// The limiter bounds live pixel memory; how soon freed pixel buffers are collected is the garbage
// collector's pacing. The test runs as a deployment should, with a Go memory limit (GOMEMLIMIT) of
// the heap before the uploads (base) + the budget + 64 MiB for requests in flight. Buffers freed
// while a collection runs wait for the next one, and by then the limiter may have let new decodes
// allocate up to the budget again, so the bound on the heap in use, sampled throughout, is
// base + 2 × budget + 64 MiB (576 MiB above base for 256 MiB). Unbounded, the ten concurrent
// decodes alone hold 1.28 GB live, which no collection can free. The benchmark in service/material
// gives the figures with and without the limiter.
func TestHostilePNGsKeepTheHeapBounded(t *testing.T) {
	e := &filingEnv{testEnv: newTestEnvWith(t, app.Options{Verified: newFakeVerifications()},
		"BEIAN_IMAGE_WORKERS=4", fmt.Sprintf("BEIAN_IMAGE_MEMORY=%d", hostileBudget), "BEIAN_IMAGE_WAIT=5m")}
	tk := e.login(t, "13800138090").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	decodable, refused := imagingtest.HostilePNG(4000, 4000), imagingtest.HostilePNG(6300, 6300)
	t.Logf("upload sizes: %d and %d bytes", len(decodable), len(refused))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	limit := ms.HeapInuse + hostileBudget + 64<<20
	bound := limit + hostileBudget
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(limit)))

	const uploads = 20
	statuses := make([]int, uploads)
	codes := make([]string, uploads)
	base, peak := imagingtest.HeapDuring(func() {
		var wg sync.WaitGroup
		for i := range uploads {
			data := decodable
			if i%2 == 1 {
				data = refused
			}
			wg.Go(func() {
				res := e.upload(t, tk, o.ID, "commitment_letter", data)
				statuses[i], codes[i] = res.Status, res.ErrorCode()
			})
		}
		wg.Wait()
	})
	for i := range uploads {
		want, wantCode := http.StatusCreated, ""
		if i%2 == 1 {
			want, wantCode = http.StatusUnprocessableEntity, "MATERIAL_IMAGE_TOO_LARGE"
		}
		if statuses[i] != want || codes[i] != wantCode {
			t.Errorf("upload %d: %d %s, want %d %s", i, statuses[i], codes[i], want, wantCode)
		}
	}
	t.Logf("heap in use: %d MiB before, peak %d MiB (bound %d MiB)", base>>20, peak>>20, bound>>20)
	if peak > bound {
		t.Fatalf("peak heap %d MiB over the %d MiB bound", peak>>20, bound>>20)
	}
	if peak-base < 128<<20 {
		t.Fatalf("peak heap %d MiB above a base of %d MiB: not even one 128 MB decode was seen, the sampling missed it", (peak-base)>>20, base>>20)
	}
}

// TestImageBusyIs503: with the only decode slot held, a material upload and a face photo wait
// BEIAN_IMAGE_WAIT and get 503 IMAGE_BUSY with Retry-After; nothing is stored.
func TestImageBusyIs503(t *testing.T) {
	t.Parallel()
	e := &filingEnv{testEnv: newTestEnvWith(t, app.Options{}, "BEIAN_IMAGE_WORKERS=1", "BEIAN_IMAGE_WAIT=50ms")}
	tk := e.login(t, "13800138091").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	session, _ := e.verifyScan(t, tk, o.ID, map[string]any{"role": "subject_principal"})

	held, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- e.app.Images.Do(context.Background(), 0, func() error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	busy := []struct {
		name string
		send func() *http.Request
	}{
		{"material", func() *http.Request {
			return e.client.MultipartRequest(fmt.Sprintf("/api/v1/orders/%d/materials", o.ID),
				[][2]string{{"kind", "commitment_letter"}}, "file", "scan.png", colourScan(t), tk)
		}},
		{"face photo", func() *http.Request { return e.faceUpload(t, session, facetest.Portrait(t, 1080)) }},
	}
	for _, b := range busy {
		res := e.client.Send(b.send())
		var body struct {
			Error struct {
				RetryAfter int `json:"retry_after"`
			} `json:"error"`
		}
		res.JSON(t, &body)
		if res.Status != http.StatusServiceUnavailable || res.ErrorCode() != "IMAGE_BUSY" ||
			res.Header.Get("Retry-After") != "1" || body.Error.RetryAfter != 1 {
			t.Errorf("%s while busy: %d %s Retry-After %q, want 503 IMAGE_BUSY after 1 s",
				b.name, res.Status, res.Body, res.Header.Get("Retry-After"))
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := storedFiles(t, e.app.Config.FilesDir); n != 0 {
		t.Fatalf("busy uploads stored %d files", n)
	}
	if res := e.upload(t, tk, o.ID, "commitment_letter", colourScan(t)); res.Status != http.StatusCreated {
		t.Fatalf("after the slot came free: %d %s", res.Status, res.Body)
	}
	// The busy answer did not cost the person one of their attempts.
	res := e.client.Send(e.faceUpload(t, session, facetest.Portrait(t, 1080)))
	var outcome struct {
		AttemptsLeft int `json:"attempts_left"`
	}
	res.JSON(t, &outcome)
	if res.Status != http.StatusOK || outcome.AttemptsLeft != verification.FaceAttemptsPerSession-1 {
		t.Fatalf("first judged photo after a busy one: %d %s, want %d attempts left", res.Status, res.Body,
			verification.FaceAttemptsPerSession-1)
	}
}

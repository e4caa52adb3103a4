package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/app"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/validate"
)

// fakeVerifications is the verification status the filing tests control: persons are confirmed
// per order by the test, as the verification subsystem would after a confirmed face check, each
// recording the person the order names at that moment.
type fakeVerifications struct {
	mu     sync.Mutex
	orders interface {
		Order(ctx context.Context, id int64) (filing.Order, error)
	}
	confirmed map[int64][]filing.Confirmation
}

func newFakeVerifications() *fakeVerifications {
	return &fakeVerifications{confirmed: map[int64][]filing.Confirmation{}}
}

func (f *fakeVerifications) confirm(orderID int64, refs ...filing.PersonRef) {
	o, err := f.orders.Order(context.Background(), orderID)
	if err != nil {
		panic(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ref := range refs {
		p, _ := filing.PersonOf(o, ref)
		f.confirmed[orderID] = append(f.confirmed[orderID], filing.Confirmation{Person: ref, Who: filing.VerifiedPersonOf(p),
			ConfirmedAt: o.UpdatedAt})
	}
}

// Confirmations satisfies filing.VerificationStatus.
func (f *fakeVerifications) Confirmations(_ context.Context, orderID int64) ([]filing.Confirmation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.confirmed[orderID]), nil
}

// filingEnv is the whole service with verifications faked through service.VerificationStatus.
type filingEnv struct {
	*testEnv
	verified *fakeVerifications
}

func newFilingEnv(t *testing.T) *filingEnv {
	t.Helper()
	v := newFakeVerifications()
	e := &filingEnv{testEnv: newTestEnvWith(t, app.Options{Verified: v}), verified: v}
	v.orders = repository.NewOrderRepo(e.app.DB, e.cipher(t))
	return e
}

// residentID builds a valid 18-character resident ID number (GB 11643) for a region and birth date.
func residentID(region, birth, seq string) string {
	return validate.CompleteResidentID(region + birth + seq)
}

// Test identities: a Guangdong enterprise (a USCC with a valid check character) and two people.
var (
	gdUSCC       = "91440101MA5CJQ4N59"
	legalRepID   = residentID("440106", "19800101", "123")
	webManagerID = residentID("110105", "19900515", "246")
)

// gdEnterprisePatch is a complete Guangdong enterprise subject with one website whose principal is
// another person than the subject principal.
func gdEnterprisePatch() map[string]any {
	return map[string]any{
		"subject": map[string]any{
			"nature": 4, "cert_type": 1, "cert_number": gdUSCC, "name": "广州市示例科技有限公司", "province": "44",
			"cert_address": "广州市天河区示例路1号", "contact_address": "广州市天河区示例路1号5楼",
			"principal_is_legal_rep": true,
			"principal":              person("张三丰", legalRepID, "13800138100", "zhang@example.com"),
		},
		"services": []any{map[string]any{
			"kind": "website", "name": "示例科技官网", "domains": []string{"Example.CN"}, "home_url": "https://www.example.cn",
			"ips": []string{"203.0.113.10"}, "access_mode": 16, "content_types": 128, "languages": []int{1},
			"principal": person("李四", webManagerID, "13800138101", "li@example.com"),
		}},
	}
}

func person(name, id, mobile, email string) map[string]any {
	return map[string]any{"name": name, "doc_type": 2, "doc_number": id, "doc_long_term": true,
		"doc_valid_from": "2015-01-01", "mobile": mobile, "emergency_phone": "020-12345678", "email": email}
}

type orderBody struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Status   string `json:"status"`
	Version  int    `json:"version"`
	Services []struct {
		ID int64 `json:"id"`
	} `json:"services"`
}

type requirementsBody struct {
	Complete bool           `json:"complete"`
	Comments []fieldComment `json:"comments"`
	Items    []struct {
		Kind string `json:"kind"`
		Key  string `json:"key"`
		Code string `json:"code"`
	} `json:"items"`
}

// keys lists "kind key code" for each item, to compare lists in assertions.
func (r requirementsBody) keys() []string {
	out := make([]string, len(r.Items))
	for i, it := range r.Items {
		out[i] = it.Kind + " " + it.Key + " " + it.Code
	}
	return out
}

func (e *filingEnv) createOrder(t *testing.T, token string, body map[string]any) orderBody {
	t.Helper()
	res := e.client.Do(http.MethodPost, "/api/v1/orders", body, token)
	if res.Status != http.StatusCreated {
		t.Fatalf("create order %v: %d %s", body, res.Status, res.Body)
	}
	var o orderBody
	res.JSON(t, &o)
	return o
}

func (e *filingEnv) patch(t *testing.T, token string, id int64, body any) orderBody {
	t.Helper()
	res := e.client.Do(http.MethodPatch, fmt.Sprintf("/api/v1/orders/%d", id), body, token)
	if res.Status != http.StatusOK {
		t.Fatalf("patch order %d: %d %s", id, res.Status, res.Body)
	}
	var o orderBody
	res.JSON(t, &o)
	return o
}

func (e *filingEnv) requirements(t *testing.T, token string, id int64) requirementsBody {
	t.Helper()
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/requirements", id), nil, token)
	if res.Status != http.StatusOK {
		t.Fatalf("requirements %d: %d %s", id, res.Status, res.Body)
	}
	var r requirementsBody
	res.JSON(t, &r)
	return r
}

// upload posts one material as multipart: the kind field, then the file.
func (e *filingEnv) upload(t *testing.T, token string, orderID int64, kind string, data []byte) apitest.Response {
	t.Helper()
	return e.client.Send(e.client.MultipartRequest(fmt.Sprintf("/api/v1/orders/%d/materials", orderID),
		[][2]string{{"kind", kind}}, "file", "scan.bin", data, token))
}

// colourScan is a small colourful PNG, as a colour photo of a document would be.
func colourScan(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 480, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 480; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x / 2), uint8(y / 2), uint8(255 - x/3), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cipher is the data cipher the app under test uses.
func (e *filingEnv) cipher(t *testing.T) *repository.Cipher {
	t.Helper()
	key, err := e.app.Config.DataKeyBytes()
	if err != nil {
		t.Fatal(err)
	}
	c, err := repository.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// approveAndFile drives a submitted order through review, bureau and SMS to approved (as the
// reviewer and system would) and applies it to the filed records.
func (e *filingEnv) approveAndFile(t *testing.T, orderID int64) {
	t.Helper()
	orders := repository.NewOrderRepo(e.app.DB, e.cipher(t))
	steps := []struct {
		ev    filing.OrderEventName
		actor filing.ActorKind
	}{
		{filing.EventApprove, filing.ActorReviewer}, {filing.EventHandToBureau, filing.ActorReviewer},
		{filing.EventSMSVerified, filing.ActorSystem}, {filing.EventBureauApprove, filing.ActorSystem},
	}
	var o filing.Order
	for _, s := range steps {
		var err error
		o, err = orders.Update(context.Background(), orderID, func(o *filing.Order) error {
			return o.Transition(s.ev, filing.Actor{Kind: s.actor}, e.clock.Now())
		})
		if err != nil {
			t.Fatalf("%s: %v", s.ev, err)
		}
	}
	if err := repository.NewFilingRepo(e.app.DB, e.cipher(t)).ApplyApproved(context.Background(), o); err != nil {
		t.Fatalf("apply approved order: %v", err)
	}
}

// completeOrder opens a new_filing order with everything it needs (fields, materials, faked
// verifications) and returns its id, still in draft.
func (e *filingEnv) completeOrder(t *testing.T, token string) int64 {
	t.Helper()
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.patch(t, token, o.ID, gdEnterprisePatch())
	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"} {
		if res := e.upload(t, token, o.ID, kind, colourScan(t)); res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", kind, res.Status, res.Body)
		}
	}
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	if r := e.requirements(t, token, o.ID); !r.Complete {
		t.Fatalf("order not complete: %v", r.keys())
	}
	return o.ID
}

// submit submits an order and fails the test unless it reaches pending_review.
func (e *filingEnv) submit(t *testing.T, token string, id int64) {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/submit", id), nil, token)
	if res.Status != http.StatusOK {
		t.Fatalf("submit %d: %d %s", id, res.Status, res.Body)
	}
}

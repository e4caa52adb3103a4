package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/beian/beian/api"
	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/clocktest"
	"github.com/beian/beian/service/face"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
	"github.com/prometheus/client_golang/prometheus"
)

// The test orders, all of the first account: testOrderID and every id from benchOrderIDs on are
// drafts, submittedOrderID is submitted.
const (
	testOrderID      = 42
	submittedOrderID = 43
	benchOrderIDs    = 1000
)

// testProposal is every test order's proposal: a subject principal and service 7, both in the
// charge of 张三丰.
var testProposal = filing.Proposal{
	Subject: filing.SubjectInfo{Name: "示例科技有限公司", Principal: filing.Person{Name: "张三丰", DocType: 2, DocNumber: "11010519491231002X"}},
	Services: []filing.ServiceInfo{{ID: 7, Kind: filing.KindWebsite, Name: "示例网站",
		Principal: filing.Person{Name: "张三丰", DocType: 2, DocNumber: "11010519491231002X"}}},
	NextServiceID: 8,
}

// seedOrder inserts the test order id of account with testProposal sealed as the repository seals
// proposals (not in flight, so that one account may hold many).
func seedOrder(t testing.TB, db dbtest.DB, cipher *repository.Cipher, id, account int64, status filing.OrderStatus) {
	t.Helper()
	plain, err := json.Marshal(testProposal)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := db.Gorm.Exec("INSERT INTO orders (id, account_id, type, status, province, proposal_enc, version, created_at, updated_at) "+
		"VALUES (?, ?, 'new_filing', ?, '44', ?, 1, ?, ?)", id, account, string(status), cipher.Seal("orders.proposal", plain), now, now).Error; err != nil {
		t.Fatalf("seed order %d: %v", id, err)
	}
}

// verifyEnv is the API router with the real verification stack (database, Redis limiter, face
// checker, encrypted photo store) on seeded orders.
type verifyEnv struct {
	handler  http.Handler
	client   *apitest.Client
	tokens   *api.Tokens
	repo     *repository.VerificationRepo
	clock    *clocktest.Clock
	filesDir string
	owner    string // access token of the order's owner
	other    string // access token of another applicant
	users    []account.User
	// seedDraft adds a draft order of the first account
	seedDraft func(id int64)
}

// relogin gives both accounts fresh access tokens at the clock's time.
func (e *verifyEnv) relogin(t testing.TB) {
	t.Helper()
	var toks []string
	for _, u := range e.users {
		tok, _, err := e.tokens.IssueAccess(u, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	e.owner, e.other = toks[0], toks[1]
}

func newVerifyEnv(t testing.TB) *verifyEnv { return newVerifyEnvWith(t, nil) }

// newVerifyEnvWith is newVerifyEnv with a FaceVerifier (nil: offline check only).
func newVerifyEnvWith(t testing.TB, verifier verification.FaceVerifier) *verifyEnv {
	t.Helper()
	db := dbtest.New(t)
	e := &verifyEnv{clock: clocktest.New(kernel.SystemClock()), filesDir: t.TempDir()}
	cipher, err := repository.NewCipher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	e.repo = repository.NewVerificationRepo(db.Gorm, cipher, repository.NewOrderRepo(db.Gorm, cipher))
	e.tokens = api.NewTokens([]byte("verification-test-secret-of-32-bytes!"), "beian", 15*time.Minute, e.clock.Now)
	users := repository.NewUserRepo(db.Gorm)
	for _, phone := range []string{"13900139000", "13900139001"} {
		u, err := users.CreateUser(context.Background(), account.User{Phone: phone, Role: account.RoleApplicant, CreatedAt: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		e.users = append(e.users, u)
	}
	e.relogin(t)
	seedOrder(t, db, cipher, testOrderID, e.users[0].ID, filing.StatusDraft)
	seedOrder(t, db, cipher, submittedOrderID, e.users[0].ID, filing.StatusPendingReview)
	e.seedDraft = func(id int64) { seedOrder(t, db, cipher, id, e.users[0].ID, filing.StatusDraft) }
	parties := verification.NewOrderParties(repository.NewOrderRepo(db.Gorm, cipher))
	v := verification.NewVerifications(verification.VerificationsConfig{Store: e.repo, Parties: parties,
		Faces: testChecker(t), Verifier: verifier, Photos: photoStore(t, e.filesDir), Sessions: e.tokens, QRBaseURL: "beian://verify?token=", Now: e.clock.Now})
	e.handler, err = api.NewRouter(api.Deps{Tokens: e.tokens, Limiter: testLimiter(t), Ready: func(context.Context) error { return nil },
		Registry: prometheus.NewRegistry(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BodyMaxBytes: 1 << 20,
		Verifications: v, FacePhotoMaxBytes: 9 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close)
	e.client = apitest.New(t, srv.URL)
	return e
}

func testLimiter(t testing.TB) *repository.RedisLimiter {
	t.Helper()
	return repository.NewRedisLimiter(redistest.New(t).Client(t))
}

func photoStore(t testing.TB, dir string) *blob.Sealed {
	t.Helper()
	local, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := blob.NewSealed(local, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testChecker(t testing.TB) *face.Checker {
	t.Helper()
	c, err := face.NewChecker(face.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// faceRequest builds the multipart face upload; an empty consent omits the field.
func (e *verifyEnv) faceRequest(t testing.TB, session string, photo []byte, consent string) *http.Request {
	t.Helper()
	var fields [][2]string
	if consent != "" {
		fields = append(fields, [2]string{"consent", consent})
	}
	return e.client.MultipartRequest("/api/v1/verification-sessions/face", fields, "photo", "face.jpg", photo, session)
}

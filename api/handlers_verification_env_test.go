package api_test

import (
	"bytes"
	"context"
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

// The orders the fake parties know, all of the first account: testOrderID and every id from
// benchOrderIDs on are drafts, submittedOrderID is submitted.
const (
	testOrderID      = 42
	submittedOrderID = 43
	benchOrderIDs    = 1000
)

// fakeParties knows the test orders of one owner, each with a subject principal and service 7.
type fakeParties struct{ ownerID int64 }

func (p fakeParties) Party(_ context.Context, ownerID, orderID int64, person filing.PersonRef) (verification.VerificationParty, error) {
	known := orderID == testOrderID || orderID == submittedOrderID || orderID >= benchOrderIDs
	if ownerID != p.ownerID || !known || (person.Role == filing.RoleServicePrincipal && person.ServiceID != 7) {
		return verification.VerificationParty{}, kernel.ErrNotFound
	}
	party := verification.VerificationParty{OrderType: "new_filing", Editable: orderID != submittedOrderID, PersonName: "张三丰"}
	if person.Role == filing.RoleServicePrincipal {
		party.ServiceName = "示例网站"
	}
	return party, nil
}

// verifyEnv is the API router with the real verification stack (database, Redis limiter, face
// checker, encrypted photo store) and a fake order side.
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
	// seedDraft adds a draft order of the first account (the fake parties know ids from benchOrderIDs on)
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
	e.repo = repository.NewVerificationRepo(db.Gorm, cipher)
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
	db.SeedOrder(t, testOrderID, e.users[0].ID, string(filing.StatusDraft))
	db.SeedOrder(t, submittedOrderID, e.users[0].ID, string(filing.StatusPendingReview))
	e.seedDraft = func(id int64) { db.SeedOrder(t, id, e.users[0].ID, string(filing.StatusDraft)) }
	v := verification.NewVerifications(verification.VerificationsConfig{Store: e.repo, Parties: fakeParties{ownerID: e.users[0].ID},
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

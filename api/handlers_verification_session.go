package api

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
	"github.com/gin-gonic/gin"
)

const (
	// ctxVerifySession holds the service.VerificationSession of a session-authenticated request.
	ctxVerifySession = "verify_session"
	// faceFormOverhead is what the multipart envelope and the consent field may add to the photo.
	faceFormOverhead  = 64 << 10
	codePhotoTooLarge = "PHOTO_TOO_LARGE"
	codeBadMultipart  = "INVALID_MULTIPART"
)

type faceResponse struct {
	Status           string       `json:"status"`
	Passed           bool         `json:"passed"`
	Reasons          []faceReason `json:"reasons"`
	AttemptsLeft     int          `json:"attempts_left"`
	IdentityVerified bool         `json:"identity_verified"`
}

type confirmResponse struct {
	VerificationID int64     `json:"verification_id"`
	Status         string    `json:"status"`
	ConfirmedAt    time.Time `json:"confirmed_at"`
}

func toFaceResponse(o verification.FaceOutcome) faceResponse {
	return faceResponse{Status: string(o.State), Passed: o.Passed, Reasons: toFaceReasons(o.Reasons),
		AttemptsLeft: o.AttemptsLeft, IdentityVerified: o.IdentityVerified}
}

func toConfirmResponse(v verification.Verification) confirmResponse {
	out := confirmResponse{VerificationID: v.ID, Status: string(v.State)}
	if v.ConfirmedAt != nil {
		out.ConfirmedAt = v.ConfirmedAt.UTC()
	}
	return out
}

// authenticateVerification requires a verification-session token (AudienceVerify); access tokens
// are refused.
func authenticateVerification(tokens *Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, ok := bearerToken(c)
		if !ok {
			writeError(c, kernel.ErrUnauthenticated)
			return
		}
		s, err := tokens.ParseVerificationSession(raw)
		if err != nil {
			writeError(c, err)
			return
		}
		c.Set(ctxVerifySession, s)
		c.Next()
	}
}

func verifySession(c *gin.Context) verification.VerificationSession {
	s, _ := c.Get(ctxVerifySession)
	vs, _ := s.(verification.VerificationSession)
	return vs
}

func (h verificationHandlers) face(c *gin.Context) {
	photo, consent, ok := h.readFaceForm(c)
	if !ok {
		return
	}
	out, err := h.v.SubmitFace(c.Request.Context(), verifySession(c), photo, consent)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toFaceResponse(out))
}

func (h verificationHandlers) confirm(c *gin.Context) {
	v, err := h.v.Confirm(c.Request.Context(), verifySession(c))
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toConfirmResponse(v))
}

// readFaceForm streams the multipart form: the photo part is read up to maxPhoto bytes and the
// upload is refused with 413 as soon as it goes beyond, before anything is stored; consent is
// true only for the literal "true". It answers the error itself and returns false.
func (h verificationHandlers) readFaceForm(c *gin.Context) ([]byte, bool, bool) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, h.maxPhoto+faceFormOverhead)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		abort(c, http.StatusBadRequest, errorBody{Code: codeBadMultipart, Message: "请以 multipart/form-data 上传照片"})
		return nil, false, false
	}
	var photo []byte
	consent := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			switch part.FormName() {
			case "photo":
				photo, err = readLimited(part, h.maxPhoto)
			case "consent":
				var v []byte
				v, err = readLimited(part, 16)
				consent = strings.TrimSpace(string(v)) == "true"
			}
		}
		if err != nil {
			h.abortUpload(c, err)
			return nil, false, false
		}
	}
	if len(photo) == 0 {
		writeError(c, kernel.FieldErrors{"photo": "REQUIRED"})
		return nil, false, false
	}
	return photo, consent, true
}

// errPartTooLarge reports a form part beyond its limit.
var errPartTooLarge = errors.New("form part too large")

func readLimited(p *multipart.Part, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = errPartTooLarge
	}
	return b, err
}

func (h verificationHandlers) abortUpload(c *gin.Context, err error) {
	var tooLarge *http.MaxBytesError
	if errors.Is(err, errPartTooLarge) || errors.As(err, &tooLarge) {
		msg := fmt.Sprintf("照片不能超过 %d MB", max(1, h.maxPhoto>>20))
		abort(c, http.StatusRequestEntityTooLarge, errorBody{Code: codePhotoTooLarge, Message: msg})
		return
	}
	abort(c, http.StatusBadRequest, errorBody{Code: codeBadMultipart, Message: "上传内容格式有误"})
}

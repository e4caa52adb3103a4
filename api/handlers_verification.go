package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/beian/beian/service/face"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
	"github.com/gin-gonic/gin"
)

type verificationRequest struct {
	Role      string `json:"role"`
	ServiceID int64  `json:"service_id"`
}

type issuedQRResponse struct {
	VerificationID int64     `json:"verification_id"`
	QRURL          string    `json:"qr_url"`
	ExpiresAt      time.Time `json:"expires_at"`
}

type faceReason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type verificationResponse struct {
	ID               int64        `json:"id"`
	OrderID          int64        `json:"order_id"`
	Role             string       `json:"role"`
	ServiceID        *int64       `json:"service_id,omitempty"`
	Status           string       `json:"status"`
	Attempts         int          `json:"attempts"`
	AttemptsLeft     int          `json:"attempts_left"`
	Reasons          []faceReason `json:"reasons"`
	IdentityVerified bool         `json:"identity_verified"`
	QRExpiresAt      time.Time    `json:"qr_expires_at"`
	ScannedAt        *time.Time   `json:"scanned_at,omitempty"`
	ConfirmedAt      *time.Time   `json:"confirmed_at,omitempty"`
}

type scanRequest struct {
	Token string `json:"token"`
}

type scanResponse struct {
	SessionToken   string `json:"session_token"`
	TokenType      string `json:"token_type"`
	ExpiresIn      int    `json:"expires_in"`
	VerificationID int64  `json:"verification_id"`
	OrderType      string `json:"order_type"`
	ServiceName    string `json:"service_name,omitempty"`
	PersonName     string `json:"person_name"`
}

func toPersonRef(r verificationRequest) filing.PersonRef {
	return filing.PersonRef{Role: filing.PrincipalRole(r.Role), ServiceID: r.ServiceID}
}

func toIssuedQRResponse(q verification.IssuedQR) issuedQRResponse {
	return issuedQRResponse{VerificationID: q.VerificationID, QRURL: q.URL, ExpiresAt: q.ExpiresAt.UTC()}
}

func toFaceReasons(codes []string) []faceReason {
	out := make([]faceReason, len(codes))
	for i, code := range codes {
		out[i] = faceReason{Code: code, Message: face.Reason(code).Message()}
	}
	return out
}

func toVerificationResponse(v verification.Verification) verificationResponse {
	out := verificationResponse{ID: v.ID, OrderID: v.OrderID, Role: string(v.Person.Role), Status: string(v.State),
		Attempts: v.Attempts, AttemptsLeft: max(0, verification.FaceAttemptsPerSession-v.Attempts), Reasons: toFaceReasons(v.Reasons),
		IdentityVerified: v.IdentityVerified, QRExpiresAt: v.TokenExpiresAt.UTC(), ScannedAt: utcPtr(v.ScannedAt),
		ConfirmedAt: utcPtr(v.ConfirmedAt)}
	if v.Person.Role == filing.RoleServicePrincipal {
		out.ServiceID = &v.Person.ServiceID
	}
	return out
}

func toScanResponse(s verification.ScanResult) scanResponse {
	return scanResponse{SessionToken: s.SessionToken, TokenType: "Bearer", ExpiresIn: int(s.SessionExpiresIn.Seconds()),
		VerificationID: s.VerificationID, OrderType: string(s.OrderType), ServiceName: s.ServiceName, PersonName: s.MaskedName}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// verificationHandlers serve the applicant's QR codes, the app's scan and its face session.
type verificationHandlers struct {
	v        *verification.Verifications
	qr       qrRenderer
	maxPhoto int64
}

func newVerificationHandlers(v *verification.Verifications, maxPhoto int64) verificationHandlers {
	return verificationHandlers{v: v, qr: newQRRenderer(), maxPhoto: maxPhoto}
}

func (h verificationHandlers) request(c *gin.Context) {
	orderID, ok := verificationPathID(c)
	if !ok {
		return
	}
	var req verificationRequest
	if !bindJSON(c, &req) {
		return
	}
	q, err := h.v.RequestQR(c.Request.Context(), principal(c).UserID, orderID, toPersonRef(req))
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toIssuedQRResponse(q))
}

func (h verificationHandlers) get(c *gin.Context) {
	id, ok := verificationPathID(c)
	if !ok {
		return
	}
	v, err := h.v.Get(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toVerificationResponse(v))
}

func (h verificationHandlers) qrImage(c *gin.Context) {
	id, ok := verificationPathID(c)
	if !ok {
		return
	}
	size, ok := qrSize(c.Query("size"))
	if !ok {
		writeError(c, kernel.FieldErrors{"size": "INVALID_SIZE"})
		return
	}
	url, err := h.v.QRURL(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	img, err := h.qr.render(url, size)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", img)
}

func (h verificationHandlers) scan(c *gin.Context) {
	var req scanRequest
	if !bindJSON(c, &req) {
		return
	}
	res, err := h.v.Scan(c.Request.Context(), req.Token)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toScanResponse(res))
}

// verificationPathID reads the :id path parameter, answering 404 when it is not a positive id.
func verificationPathID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(c, kernel.ErrNotFound)
		return 0, false
	}
	return id, true
}

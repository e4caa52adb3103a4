package api

import (
	"strconv"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
	"github.com/golang-jwt/jwt/v5"
)

// AudienceVerify is the audience of verification-session tokens: the app that scanned a QR code
// may work on that one verification, and nothing else. Access tokens (AudienceAPI) are refused
// where a session is expected and the other way round.
const AudienceVerify = "beian-verify"

type verifySessionClaims struct {
	TokenID int64 `json:"qr"`
	jwt.RegisteredClaims
}

// IssueVerificationSession mints a session token for one scanned verification, valid
// service.VerificationSessionTTL. It satisfies service.VerificationSessionTokens.
func (t *Tokens) IssueVerificationSession(s verification.VerificationSession, now time.Time) (string, time.Time, error) {
	exp := now.Add(verification.VerificationSessionTTL)
	claims := verifySessionClaims{TokenID: s.TokenID, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: t.issuer, Subject: strconv.FormatInt(s.VerificationID, 10), Audience: jwt.ClaimStrings{AudienceVerify},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}}
	raw, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return raw, exp, err
}

// ParseVerificationSession checks a session token's signature (HS256 only), issuer, audience,
// expiry and issue time, and returns the verification and QR token it is bound to.
func (t *Tokens) ParseVerificationSession(raw string) (verification.VerificationSession, error) {
	var claims verifySessionClaims
	if _, err := t.parse(raw, &claims, AudienceVerify); err != nil {
		return verification.VerificationSession{}, kernel.ErrUnauthenticated
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 || claims.TokenID <= 0 {
		return verification.VerificationSession{}, kernel.ErrUnauthenticated
	}
	return verification.VerificationSession{VerificationID: id, TokenID: claims.TokenID}, nil
}

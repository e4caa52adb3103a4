package api

import (
	"errors"
	"strconv"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/golang-jwt/jwt/v5"
)

// Audiences keep one kind of token from being accepted as another.
const (
	AudienceAPI = "beian-api"
)

// Tokens signs and checks HS256 JWTs. It satisfies service.AccessTokens.
type Tokens struct {
	secret []byte
	issuer string
	ttl    time.Duration
	now    kernel.Clock
}

// NewTokens returns a JWT signer with the given secret, issuer and access-token lifetime.
func NewTokens(secret []byte, issuer string, ttl time.Duration, now kernel.Clock) *Tokens {
	return &Tokens{secret: secret, issuer: issuer, ttl: ttl, now: now}
}

type accessClaims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// IssueAccess mints an access token for u.
func (t *Tokens) IssueAccess(u account.User, now time.Time) (string, time.Time, error) {
	exp := now.Add(t.ttl)
	claims := accessClaims{Role: string(u.Role), RegisteredClaims: jwt.RegisteredClaims{
		Issuer: t.issuer, Subject: strconv.FormatInt(u.ID, 10), Audience: jwt.ClaimStrings{AudienceAPI},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return s, exp, err
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID int64
	Role   account.Role
}

// AccessExpiry validates an access token and returns when it expires.
func (t *Tokens) AccessExpiry(raw string) (time.Time, error) {
	var claims accessClaims
	if _, err := t.parse(raw, &claims, AudienceAPI); err != nil {
		return time.Time{}, kernel.ErrUnauthenticated
	}
	return claims.ExpiresAt.Time, nil
}

func (t *Tokens) parse(raw string, claims jwt.Claims, audience string) (*jwt.Token, error) {
	return jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(t.issuer),
		jwt.WithAudience(audience), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(t.now))
}

// ParseAccess checks signature (HS256 only), issuer, audience, expiry and issue time.
func (t *Tokens) ParseAccess(raw string) (Principal, error) {
	var claims accessClaims
	if _, err := t.parse(raw, &claims, AudienceAPI); err != nil {
		return Principal{}, kernel.ErrUnauthenticated
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	role, rerr := account.ParseRole(claims.Role)
	if err != nil || rerr != nil || id <= 0 {
		return Principal{}, errors.Join(kernel.ErrUnauthenticated, err, rerr)
	}
	return Principal{UserID: id, Role: role}, nil
}

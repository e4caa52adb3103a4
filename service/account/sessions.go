package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
)

// RefreshToken is one link of a rotation chain. Every token minted from one login shares FamilyID;
// presenting a token that was already rotated revokes the whole family.
type RefreshToken struct {
	ID        int64
	UserID    int64
	FamilyID  string
	TokenHash string
	ExpiresAt time.Time
	RotatedAt *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// RefreshTokenStore keeps refresh tokens by hash.
type RefreshTokenStore interface {
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	RefreshTokenByHash(ctx context.Context, hash string) (RefreshToken, error)
	// RotateRefreshToken marks old rotated at now and inserts next, in one transaction, only if old
	// was neither rotated nor revoked; false means another request got there first.
	RotateRefreshToken(ctx context.Context, oldID int64, next RefreshToken, now time.Time) (bool, error)
	RevokeFamily(ctx context.Context, familyID string, now time.Time) error
}

// AccessTokens mints short-lived access tokens (the api package signs JWTs).
type AccessTokens interface {
	IssueAccess(u User, now time.Time) (token string, expiresAt time.Time, err error)
}

// Session is what a login or a refresh hands the client.
type Session struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
	User         User
}

// Sessions opens, rotates and closes login sessions.
type Sessions struct {
	users  UserStore
	store  RefreshTokenStore
	access AccessTokens
	cfg    SessionConfig
	now    kernel.Clock
}

// SessionConfig sets how refresh tokens live and rotate.
type SessionConfig struct {
	// RefreshTTL bounds how long a login lasts without use.
	RefreshTTL time.Duration
	// Grace is how long a just-rotated refresh token may be presented again and get the same
	// successor (a client whose refresh response was lost retries); after it a rotated token
	// presented again revokes its family. Zero turns the grace window off.
	Grace time.Duration
	// SuccessorKey derives a rotated token's successor from it (HMAC), so the successor can be
	// handed out again within Grace without being stored anywhere but as a hash.
	SuccessorKey []byte
}

// NewSessions wires session handling.
func NewSessions(users UserStore, store RefreshTokenStore, access AccessTokens, cfg SessionConfig, now kernel.Clock) *Sessions {
	return &Sessions{users: users, store: store, access: access, cfg: cfg, now: now}
}

// Open starts a new token family for u.
func (s *Sessions) Open(ctx context.Context, u User) (Session, error) {
	family, err := kernel.RandomToken()
	if err != nil {
		return Session{}, err
	}
	raw, t, err := s.newToken(u.ID, family[:22])
	if err != nil {
		return Session{}, err
	}
	if err := s.store.CreateRefreshToken(ctx, t); err != nil {
		return Session{}, fmt.Errorf("store refresh token: %w", err)
	}
	return s.session(u, raw)
}

// Refresh rotates a refresh token. The token's successor is derived from it, so a token presented
// again within the grace window after its rotation gets the same successor and the same access
// token (a retry after a lost response, or two tabs refreshing at once). A token rotated longer
// ago, or whose successor has moved on, revokes its family: ErrTokenReused.
func (s *Sessions) Refresh(ctx context.Context, raw string) (Session, error) {
	old, err := s.loadRefresh(ctx, raw)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if old.RotatedAt != nil {
		return s.replaySuccessor(ctx, raw, old, now)
	}
	if old.RevokedAt != nil || !now.Before(old.ExpiresAt) {
		return Session{}, ErrTokenInvalid
	}
	u, err := s.users.UserByID(ctx, old.UserID)
	if err != nil {
		return Session{}, fmt.Errorf("load user %d: %w", old.UserID, err)
	}
	nextRaw := s.successor(raw)
	next := RefreshToken{UserID: u.ID, FamilyID: old.FamilyID, TokenHash: kernel.HashToken(nextRaw),
		ExpiresAt: now.Add(s.cfg.RefreshTTL), CreatedAt: now}
	ok, err := s.store.RotateRefreshToken(ctx, old.ID, next, now)
	if err != nil {
		return Session{}, fmt.Errorf("rotate refresh token: %w", err)
	}
	if !ok { // a concurrent refresh of the same token rotated it first
		if old, err = s.loadRefresh(ctx, raw); err != nil {
			return Session{}, err
		}
		return s.replaySuccessor(ctx, raw, old, now)
	}
	return s.sessionAt(u, nextRaw, now)
}

func (s *Sessions) loadRefresh(ctx context.Context, raw string) (RefreshToken, error) {
	t, err := s.store.RefreshTokenByHash(ctx, kernel.HashToken(raw))
	if errors.Is(err, kernel.ErrNotFound) {
		return RefreshToken{}, ErrTokenInvalid
	}
	if err != nil {
		return RefreshToken{}, fmt.Errorf("load refresh token: %w", err)
	}
	return t, nil
}

// replaySuccessor answers a token that was already rotated: within the grace window, and while
// its successor is still the live head of the family, with the successor's session as first
// handed out; otherwise by revoking the family.
func (s *Sessions) replaySuccessor(ctx context.Context, raw string, old RefreshToken, now time.Time) (Session, error) {
	if old.RevokedAt != nil || old.RotatedAt == nil || now.Sub(*old.RotatedAt) > s.cfg.Grace {
		return Session{}, s.revoke(ctx, old.FamilyID, now, ErrTokenReused)
	}
	nextRaw := s.successor(raw)
	next, err := s.store.RefreshTokenByHash(ctx, kernel.HashToken(nextRaw))
	if errors.Is(err, kernel.ErrNotFound) || err == nil && (next.RotatedAt != nil || next.RevokedAt != nil || next.FamilyID != old.FamilyID) {
		return Session{}, s.revoke(ctx, old.FamilyID, now, ErrTokenReused)
	}
	if err != nil {
		return Session{}, fmt.Errorf("load successor token: %w", err)
	}
	u, err := s.users.UserByID(ctx, old.UserID)
	if err != nil {
		return Session{}, fmt.Errorf("load user %d: %w", old.UserID, err)
	}
	sess, err := s.sessionAt(u, nextRaw, next.CreatedAt)
	sess.ExpiresIn -= now.Sub(next.CreatedAt)
	return sess, err
}

// successor is the refresh token that replaces raw when it is rotated.
func (s *Sessions) successor(raw string) string {
	m := hmac.New(sha256.New, s.cfg.SuccessorKey)
	m.Write([]byte(raw))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Close revokes the family of a refresh token (logout). An unknown token is not an error.
func (s *Sessions) Close(ctx context.Context, raw string) error {
	t, err := s.store.RefreshTokenByHash(ctx, kernel.HashToken(raw))
	if errors.Is(err, kernel.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load refresh token: %w", err)
	}
	return s.store.RevokeFamily(ctx, t.FamilyID, s.now())
}

func (s *Sessions) revoke(ctx context.Context, family string, now time.Time, reason error) error {
	if err := s.store.RevokeFamily(ctx, family, now); err != nil {
		return fmt.Errorf("revoke family: %w", err)
	}
	return reason
}

func (s *Sessions) newToken(userID int64, family string) (string, RefreshToken, error) {
	raw, err := kernel.RandomToken()
	if err != nil {
		return "", RefreshToken{}, err
	}
	now := s.now()
	return raw, RefreshToken{UserID: userID, FamilyID: family, TokenHash: kernel.HashToken(raw),
		ExpiresAt: now.Add(s.cfg.RefreshTTL), CreatedAt: now}, nil
}

func (s *Sessions) session(u User, refresh string) (Session, error) {
	return s.sessionAt(u, refresh, s.now())
}

// sessionAt issues the access token as of issued: the same user and time give the same token, so
// a replayed rotation hands out the very pair the first one did.
func (s *Sessions) sessionAt(u User, refresh string, now time.Time) (Session, error) {
	access, exp, err := s.access.IssueAccess(u, now)
	if err != nil {
		return Session{}, fmt.Errorf("issue access token: %w", err)
	}
	return Session{AccessToken: access, RefreshToken: refresh, ExpiresIn: exp.Sub(now), User: u}, nil
}

package account

import (
	"context"
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
	users      UserStore
	store      RefreshTokenStore
	access     AccessTokens
	refreshTTL time.Duration
	now        kernel.Clock
}

// NewSessions wires session handling; refreshTTL bounds how long a login lasts without use.
func NewSessions(users UserStore, store RefreshTokenStore, access AccessTokens, refreshTTL time.Duration, now kernel.Clock) *Sessions {
	return &Sessions{users: users, store: store, access: access, refreshTTL: refreshTTL, now: now}
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

// Refresh rotates a refresh token. A rotated or revoked token revokes its family: ErrTokenReused.
func (s *Sessions) Refresh(ctx context.Context, raw string) (Session, error) {
	old, err := s.store.RefreshTokenByHash(ctx, kernel.HashToken(raw))
	if errors.Is(err, kernel.ErrNotFound) {
		return Session{}, ErrTokenInvalid
	}
	if err != nil {
		return Session{}, fmt.Errorf("load refresh token: %w", err)
	}
	now := s.now()
	if old.RotatedAt != nil {
		return Session{}, s.revoke(ctx, old.FamilyID, now, ErrTokenReused)
	}
	if old.RevokedAt != nil || !now.Before(old.ExpiresAt) {
		return Session{}, ErrTokenInvalid
	}
	u, err := s.users.UserByID(ctx, old.UserID)
	if err != nil {
		return Session{}, fmt.Errorf("load user %d: %w", old.UserID, err)
	}
	nextRaw, next, err := s.newToken(u.ID, old.FamilyID)
	if err != nil {
		return Session{}, err
	}
	ok, err := s.store.RotateRefreshToken(ctx, old.ID, next, now)
	if err != nil {
		return Session{}, fmt.Errorf("rotate refresh token: %w", err)
	}
	if !ok {
		return Session{}, s.revoke(ctx, old.FamilyID, now, ErrTokenReused)
	}
	return s.session(u, nextRaw)
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
		ExpiresAt: now.Add(s.refreshTTL), CreatedAt: now}, nil
}

func (s *Sessions) session(u User, refresh string) (Session, error) {
	now := s.now()
	access, exp, err := s.access.IssueAccess(u, now)
	if err != nil {
		return Session{}, fmt.Errorf("issue access token: %w", err)
	}
	return Session{AccessToken: access, RefreshToken: refresh, ExpiresIn: exp.Sub(now), User: u}, nil
}

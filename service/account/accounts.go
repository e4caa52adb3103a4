package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/validate"
	"golang.org/x/crypto/bcrypt"
)

// Rules for SMS login codes.
const (
	CodeTTL         = 5 * time.Minute
	CodeMaxWrong    = 5
	CodeResendAfter = 60 * time.Second
	CodeDailyCap    = 10
	CodeIPHourlyCap = 30
	PasswordMinLen  = 8
)

// CodePurpose says what an SMS code may be used for.
type CodePurpose string

// Code purposes.
const (
	PurposeLogin CodePurpose = "login"
)

// ParseCodePurpose accepts the known purposes.
func ParseCodePurpose(s string) (CodePurpose, error) {
	if p := CodePurpose(s); p == PurposeLogin {
		return p, nil
	}
	return "", fmt.Errorf("unknown purpose %q", s)
}

// SMSCode is a stored verification code; only the HMAC of the code is kept.
type SMSCode struct {
	ID        int64
	Phone     string
	Purpose   CodePurpose
	CodeHash  string
	Attempts  int
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// UserStore keeps accounts.
type UserStore interface {
	UserByPhone(ctx context.Context, phone string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	// CreateUser inserts u; a taken phone is ErrConflict.
	CreateUser(ctx context.Context, u User) (User, error)
	SetPassword(ctx context.Context, id int64, hash string) error
	SetRole(ctx context.Context, id int64, role Role) error
}

// CodeStore keeps SMS codes. Single use and the wrong-try bound are enforced by conditional updates.
type CodeStore interface {
	// CreateCode stores c, voids the phone's earlier unused codes for the purpose and writes the
	// notification in the same transaction. It returns the notification id.
	CreateCode(ctx context.Context, c SMSCode, n notify.Notification) (int64, error)
	// LatestCode is the newest unused code for phone and purpose, or ErrNotFound.
	LatestCode(ctx context.Context, phone string, purpose CodePurpose) (SMSCode, error)
	// ConsumeCode marks the code used if it is unused, unexpired at now and not locked; false otherwise.
	ConsumeCode(ctx context.Context, id int64, now time.Time) (bool, error)
	// RecordWrongCode counts a wrong try on an unused, unlocked code; false if it was used or locked.
	RecordWrongCode(ctx context.Context, id int64) (bool, error)
}

// Dispatcher hands committed notifications to the job queue right away. It is an optimisation:
// the outbox relay delivers whatever a failed Dispatch left behind.
type Dispatcher interface {
	Dispatch(ctx context.Context, refs ...notify.NotificationRef) error
}

// Accounts is the account and login use case.
type Accounts struct {
	users   UserStore
	codes   CodeStore
	tokens  *Sessions
	limiter Limiter

	wechat      WeChat // nil: login by WeChat is off
	wechatUsers WeChatUsers
	dispatch    Dispatcher
	codeKey     []byte
	now         kernel.Clock
}

// NewAccounts wires the account use case. codeKey keys the HMAC that stores SMS codes.
func NewAccounts(users UserStore, codes CodeStore, tokens *Sessions, limiter Limiter, dispatch Dispatcher, codeKey []byte, now kernel.Clock) *Accounts {
	return &Accounts{users: users, codes: codes, tokens: tokens, limiter: limiter, dispatch: dispatch, codeKey: codeKey, now: now}
}

// CodeRequest asks for an SMS code.
type CodeRequest struct {
	Phone   string
	Purpose string
	IP      string
}

// CodeSent tells the client how long the code lives and when it may ask again.
type CodeSent struct {
	ExpiresIn   time.Duration
	ResendAfter time.Duration
}

// RequestCode checks the limits, stores a new code and queues the SMS that carries it.
func (a *Accounts) RequestCode(ctx context.Context, req CodeRequest) (CodeSent, error) {
	phone := validate.NormalizeMobile(req.Phone)
	fe := kernel.FieldErrors{}
	if validate.Mobile(phone) != nil {
		fe["phone"] = "INVALID_PHONE"
	}
	purpose, err := ParseCodePurpose(req.Purpose)
	if err != nil {
		fe["purpose"] = "INVALID_PURPOSE"
	}
	if err := fe.OrNil(); err != nil {
		return CodeSent{}, err
	}
	limits := []struct {
		name, key string
		limit     kernel.Limit
	}{
		{"ip", "sms:ip:" + req.IP, kernel.Limit{Count: CodeIPHourlyCap, Per: time.Hour}},
		{"sms_resend", "sms:resend:" + phone, kernel.Limit{Count: 1, Per: CodeResendAfter}},
		{"sms_daily", "sms:daily:" + phone, kernel.Limit{Count: CodeDailyCap, Per: 24 * time.Hour}},
	}
	for _, l := range limits {
		wait, ok, err := a.limiter.Allow(ctx, l.key, l.limit)
		if err != nil {
			return CodeSent{}, fmt.Errorf("rate limit %s: %w", l.name, err)
		}
		if !ok {
			return CodeSent{}, &kernel.RateLimitError{Limit: l.name, RetryAfter: wait}
		}
	}
	code, err := kernel.RandomDigits(6)
	if err != nil {
		return CodeSent{}, err
	}
	now := a.now()
	c := SMSCode{Phone: phone, Purpose: purpose, CodeHash: a.hashCode(phone, purpose, code), ExpiresAt: now.Add(CodeTTL), CreatedAt: now}
	n := notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode, Recipient: phone,
		Params: map[string]string{"code": code, "minutes": "5"}, CreatedAt: now}
	id, err := a.codes.CreateCode(ctx, c, n)
	if err != nil {
		return CodeSent{}, fmt.Errorf("store code: %w", err)
	}
	_ = a.dispatch.Dispatch(ctx, notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}) // else the relay delivers it
	return CodeSent{ExpiresIn: CodeTTL, ResendAfter: CodeResendAfter}, nil
}

// LoginRequest logs in with an SMS code or a password (exactly one).
type LoginRequest struct {
	Phone    string
	Code     string
	Password string
	IP       string
}

// Login checks the code or password and opens a session. The first code login creates an applicant.
func (a *Accounts) Login(ctx context.Context, req LoginRequest) (Session, error) {
	phone := validate.NormalizeMobile(req.Phone)
	if validate.Mobile(phone) != nil {
		return Session{}, kernel.FieldErrors{"phone": "INVALID_PHONE"}
	}
	switch {
	case req.Code != "" && req.Password == "":
		return a.loginWithCode(ctx, phone, req.Code)
	case req.Password != "" && req.Code == "":
		return a.loginWithPassword(ctx, phone, req.Password, req.IP)
	}
	return Session{}, kernel.FieldErrors{"code": "CODE_OR_PASSWORD_REQUIRED"}
}

func (a *Accounts) loginWithCode(ctx context.Context, phone, code string) (Session, error) {
	if err := a.CheckCode(ctx, phone, PurposeLogin, code); err != nil {
		return Session{}, err
	}
	u, err := a.users.UserByPhone(ctx, phone)
	if errors.Is(err, kernel.ErrNotFound) {
		u, err = a.users.CreateUser(ctx, User{Phone: phone, Role: RoleApplicant, CreatedAt: a.now()})
		if errors.Is(err, kernel.ErrConflict) { // created by a concurrent first login
			u, err = a.users.UserByPhone(ctx, phone)
		}
	}
	if err != nil {
		return Session{}, fmt.Errorf("login %s: %w", kernel.MaskPhone(phone), err)
	}
	return a.tokens.Open(ctx, u)
}

// CheckCode consumes the phone's current code for purpose if code matches. Exactly one caller can
// consume a code; after CodeMaxWrong wrong tries it is locked.
func (a *Accounts) CheckCode(ctx context.Context, phone string, purpose CodePurpose, code string) error {
	c, err := a.codes.LatestCode(ctx, phone, purpose)
	if errors.Is(err, kernel.ErrNotFound) {
		return ErrCodeInvalid
	}
	if err != nil {
		return fmt.Errorf("load code: %w", err)
	}
	now := a.now()
	switch {
	case c.Attempts >= CodeMaxWrong:
		return ErrCodeLocked
	case !now.Before(c.ExpiresAt):
		return ErrCodeInvalid
	}
	if !hmac.Equal([]byte(c.CodeHash), []byte(a.hashCode(phone, purpose, code))) {
		counted, err := a.codes.RecordWrongCode(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("count wrong code: %w", err)
		}
		if !counted {
			return ErrCodeLocked
		}
		return ErrCodeInvalid
	}
	ok, err := a.codes.ConsumeCode(ctx, c.ID, now)
	if err != nil {
		return fmt.Errorf("consume code: %w", err)
	}
	if !ok {
		return ErrCodeInvalid
	}
	return nil
}

// PasswordFailures is how many wrong passwords one account may see from one IP address in
// PasswordFailureWindow before password logins from there wait.
const (
	PasswordFailures      = 10
	PasswordFailureWindow = 15 * time.Minute
)

// Limiter is the shared rate limiter; Peek checks a limit without spending it, so a limit can
// count failures only.
type Limiter interface {
	kernel.Limiter
	Peek(ctx context.Context, key string, limit kernel.Limit) (retryAfter time.Duration, ok bool, err error)
}

// loginWithPassword checks a password. Only wrong passwords count toward the lockout, and they
// count per account and client IP, so a stranger guessing elsewhere cannot lock the owner out.
func (a *Accounts) loginWithPassword(ctx context.Context, phone, password, ip string) (Session, error) {
	key, limit := "login:pw:"+phone+":"+ip, kernel.Limit{Count: PasswordFailures, Per: PasswordFailureWindow}
	wait, ok, err := a.limiter.Peek(ctx, key, limit)
	if err != nil {
		return Session{}, fmt.Errorf("rate limit password: %w", err)
	}
	if !ok {
		return Session{}, &kernel.RateLimitError{Limit: "password", RetryAfter: wait}
	}
	u, err := a.users.UserByPhone(ctx, phone)
	if err != nil && !errors.Is(err, kernel.ErrNotFound) {
		return Session{}, fmt.Errorf("load user: %w", err)
	}
	if err != nil || u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		if _, _, err := a.limiter.Allow(ctx, key, limit); err != nil {
			return Session{}, fmt.Errorf("count wrong password: %w", err)
		}
		return Session{}, ErrBadCredentials
	}
	return a.tokens.Open(ctx, u)
}

// Me loads the caller's account.
func (a *Accounts) Me(ctx context.Context, userID int64) (User, error) {
	return a.users.UserByID(ctx, userID)
}

// ChangePassword sets a password. An account that already has one must give it.
func (a *Accounts) ChangePassword(ctx context.Context, userID int64, current, next string) error {
	u, err := a.users.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.PasswordHash != "" && bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		return ErrBadCredentials
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return a.users.SetPassword(ctx, userID, hash)
}

// HashPassword checks the length rule and returns a bcrypt hash.
func HashPassword(p string) (string, error) {
	if len([]rune(p)) < PasswordMinLen || len(p) > 72 {
		return "", ErrPasswordTooWeak
	}
	h, err := bcrypt.GenerateFromPassword([]byte(p), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

func (a *Accounts) hashCode(phone string, purpose CodePurpose, code string) string {
	m := hmac.New(sha256.New, a.codeKey)
	fmt.Fprintf(m, "%s|%s|%s", phone, purpose, code)
	return hex.EncodeToString(m.Sum(nil))
}

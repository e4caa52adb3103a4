package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// WeChat errors; the api error table maps each to a status and a stable code.
var (
	// ErrWeChatCodeInvalid: WeChat does not know the wx.login or getPhoneNumber code.
	ErrWeChatCodeInvalid = errors.New("wechat code invalid")
	// ErrWeChatCodeUsed: the code was already exchanged; wx.login gives a fresh one.
	ErrWeChatCodeUsed = errors.New("wechat code already used")
	// ErrWeChatUnavailable: WeChat is busy or unreachable, or login by WeChat is not configured.
	ErrWeChatUnavailable = errors.New("wechat unavailable")
	// ErrWeChatPhoneRequired: this WeChat user has no account yet; bind one with a phone code.
	ErrWeChatPhoneRequired = errors.New("wechat user not bound to an account")
	// ErrWeChatPhoneUnsupported: the phone number WeChat returned is not a mainland mobile number.
	ErrWeChatPhoneUnsupported = errors.New("wechat phone number not supported")
)

// WeChatIdentity is who a wx.login code belongs to within the mini-program.
type WeChatIdentity struct {
	OpenID  string
	UnionID string
}

// WeChat is the mini-program server API: code2session and getPhoneNumber.
type WeChat interface {
	Code2Session(ctx context.Context, code string) (WeChatIdentity, error)
	PhoneNumber(ctx context.Context, phoneCode string) (string, error)
}

// WeChatUsers finds and binds accounts by mini-program openid.
type WeChatUsers interface {
	UserByWeChatOpenID(ctx context.Context, openID string) (User, error)
	// BindWeChat sets the account's openid unless it has another one; false if it has.
	BindWeChat(ctx context.Context, userID int64, openID string) (bool, error)
}

// WeChatLogin is POST /auth/wechat: the wx.login code and, for a WeChat user without an account
// yet, the getPhoneNumber code that names (or creates) the account to bind.
type WeChatLogin struct {
	Code      string
	PhoneCode string
}

// LoginWithWeChat logs a mini-program user in. A bound openid opens a session at once; an unbound
// one needs PhoneCode: the phone number WeChat vouches for finds the account (or creates an
// applicant, as a first SMS login would) and the openid is bound to it. Without PhoneCode an
// unbound user gets ErrWeChatPhoneRequired.
func (a *Accounts) LoginWithWeChat(ctx context.Context, in WeChatLogin) (Session, error) {
	if a.wechat == nil {
		return Session{}, fmt.Errorf("login by wechat is not configured: %w", ErrWeChatUnavailable)
	}
	if in.Code == "" || len(in.Code) > 128 || len(in.PhoneCode) > 128 {
		return Session{}, kernel.FieldErrors{"code": kernel.CodeInvalid}
	}
	id, err := a.wechat.Code2Session(ctx, in.Code)
	if err != nil {
		return Session{}, err
	}
	u, err := a.wechatUsers.UserByWeChatOpenID(ctx, id.OpenID)
	if err == nil {
		return a.tokens.Open(ctx, u)
	}
	if !errors.Is(err, kernel.ErrNotFound) {
		return Session{}, fmt.Errorf("find wechat user: %w", err)
	}
	if in.PhoneCode == "" {
		return Session{}, ErrWeChatPhoneRequired
	}
	phone, err := a.wechat.PhoneNumber(ctx, in.PhoneCode)
	if err != nil {
		return Session{}, err
	}
	if phone = validate.NormalizeMobile(phone); validate.Mobile(phone) != nil {
		return Session{}, ErrWeChatPhoneUnsupported
	}
	u, err = a.userForPhone(ctx, phone)
	if err != nil {
		return Session{}, err
	}
	bound, err := a.wechatUsers.BindWeChat(ctx, u.ID, id.OpenID)
	if err != nil {
		return Session{}, fmt.Errorf("bind wechat to account %d: %w", u.ID, err)
	}
	if !bound {
		return Session{}, fmt.Errorf("account %d is bound to another wechat user: %w", u.ID, kernel.ErrConflict)
	}
	return a.tokens.Open(ctx, u)
}

// userForPhone finds the account with phone or creates an applicant for it.
func (a *Accounts) userForPhone(ctx context.Context, phone string) (User, error) {
	u, err := a.users.UserByPhone(ctx, phone)
	if errors.Is(err, kernel.ErrNotFound) {
		u, err = a.users.CreateUser(ctx, User{Phone: phone, Role: RoleApplicant, CreatedAt: a.now()})
		if errors.Is(err, kernel.ErrConflict) { // created by a concurrent first login
			u, err = a.users.UserByPhone(ctx, phone)
		}
	}
	if err != nil {
		return User{}, fmt.Errorf("account for %s: %w", kernel.MaskPhone(phone), err)
	}
	return u, nil
}

// UseWeChat turns on login by WeChat with the mini-program client w and the openid store users.
func (a *Accounts) UseWeChat(w WeChat, users WeChatUsers) {
	a.wechat, a.wechatUsers = w, users
}

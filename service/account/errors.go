package account

import "errors"

var ErrCodeInvalid = errors.New("verification code wrong or expired")

var ErrCodeLocked = errors.New("verification code locked after too many wrong tries")

var ErrBadCredentials = errors.New("phone or password wrong")

var ErrTokenInvalid = errors.New("token invalid or expired")

var ErrTokenReused = errors.New("refresh token reused; its family is revoked")

var ErrPasswordNotSet = errors.New("account has no password")

var ErrPasswordTooWeak = errors.New("password too weak")

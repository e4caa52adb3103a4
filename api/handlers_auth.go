package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/gin-gonic/gin"
)

type smsCodeRequest struct {
	Phone   string `json:"phone"`
	Purpose string `json:"purpose"`
}

type smsCodeResponse struct {
	ExpiresIn   int `json:"expires_in"`
	ResendAfter int `json:"resend_after"`
}

type loginRequest struct {
	Phone    string `json:"phone"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

type meResponse struct {
	ID          int64     `json:"id"`
	Phone       string    `json:"phone"`
	Role        string    `json:"role"`
	HasPassword bool      `json:"has_password"`
	CreatedAt   time.Time `json:"created_at"`
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func toTokenResponse(s account.Session) tokenResponse {
	return tokenResponse{AccessToken: s.AccessToken, RefreshToken: s.RefreshToken,
		ExpiresIn: int(s.ExpiresIn.Seconds()), TokenType: "Bearer"}
}

func toMeResponse(u account.User) meResponse {
	return meResponse{ID: u.ID, Phone: kernel.MaskPhone(u.Phone), Role: string(u.Role),
		HasPassword: u.PasswordHash != "", CreatedAt: u.CreatedAt.UTC()}
}

type authHandlers struct {
	accounts *account.Accounts
	sessions *account.Sessions
}

func (h authHandlers) requestCode(c *gin.Context) {
	var req smsCodeRequest
	if !bindJSON(c, &req) {
		return
	}
	sent, err := h.accounts.RequestCode(c.Request.Context(), account.CodeRequest{Phone: req.Phone, Purpose: req.Purpose, IP: c.ClientIP()})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, smsCodeResponse{ExpiresIn: int(sent.ExpiresIn.Seconds()), ResendAfter: int(sent.ResendAfter.Seconds())})
}

func (h authHandlers) login(c *gin.Context) {
	var req loginRequest
	if !bindJSON(c, &req) {
		return
	}
	s, err := h.accounts.Login(c.Request.Context(), account.LoginRequest{Phone: req.Phone, Code: req.Code, Password: req.Password, IP: c.ClientIP()})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toTokenResponse(s))
}

type wechatLoginRequest struct {
	Code      string `json:"code"`
	PhoneCode string `json:"phone_code"`
}

// wechatLogin logs a mini-program user in with the wx.login code (and, to bind an account, the
// getPhoneNumber code).
func (h authHandlers) wechatLogin(c *gin.Context) {
	var req wechatLoginRequest
	if !bindJSON(c, &req) {
		return
	}
	s, err := h.accounts.LoginWithWeChat(c.Request.Context(), account.WeChatLogin{Code: req.Code, PhoneCode: req.PhoneCode})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toTokenResponse(s))
}

func (h authHandlers) refresh(c *gin.Context) {
	var req refreshRequest
	if !bindJSON(c, &req) {
		return
	}
	s, err := h.sessions.Refresh(c.Request.Context(), req.RefreshToken)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toTokenResponse(s))
}

func (h authHandlers) logout(c *gin.Context) {
	var req refreshRequest
	if !bindJSON(c, &req) {
		return
	}
	if err := h.sessions.Close(c.Request.Context(), req.RefreshToken); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h authHandlers) me(c *gin.Context) {
	u, err := h.accounts.Me(c.Request.Context(), principal(c).UserID)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toMeResponse(u))
}

func (h authHandlers) changePassword(c *gin.Context) {
	var req passwordRequest
	if !bindJSON(c, &req) {
		return
	}
	if err := h.accounts.ChangePassword(c.Request.Context(), principal(c).UserID, req.CurrentPassword, req.NewPassword); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// bindJSON decodes the body into dst or answers 400 (malformed) / 413 (too large).
func bindJSON(c *gin.Context, dst any) bool {
	err := json.NewDecoder(c.Request.Body).Decode(dst)
	if err == nil {
		return true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		abort(c, http.StatusRequestEntityTooLarge, errorBody{Code: codeBodyTooLarge, Message: "请求内容过大"})
	} else {
		abort(c, http.StatusBadRequest, errorBody{Code: codeBadJSON, Message: "请求内容不是有效的 JSON"})
	}
	return false
}

// devInbox reads the development SMS inbox.
type devInbox interface {
	Inbox(ctx context.Context, phone string) ([]notify.InboxMessage, error)
}

type inboxMessage struct {
	Phone  string    `json:"phone"`
	Text   string    `json:"text"`
	Code   string    `json:"code"`
	SentAt time.Time `json:"sent_at"`
}

func devSMS(inbox devInbox) gin.HandlerFunc {
	return func(c *gin.Context) {
		msgs, err := inbox.Inbox(c.Request.Context(), c.Query("phone"))
		if err != nil {
			writeError(c, err)
			return
		}
		out := make([]inboxMessage, len(msgs))
		for i, m := range msgs {
			out[i] = inboxMessage{Phone: m.Phone, Text: m.Text, Code: m.Code, SentAt: m.SentAt.UTC()}
		}
		c.JSON(http.StatusOK, gin.H{"messages": out})
	}
}

package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/material"
	"github.com/beian/beian/service/review"
	"github.com/beian/beian/service/transfer"
	"github.com/beian/beian/service/verification"
	"github.com/gin-gonic/gin"
)

// errorEntry maps a service error to what the client sees.
type errorEntry struct {
	err     error
	status  int
	code    string
	message string
}

// errorTable is the one place service errors become HTTP statuses and stable codes.
func errorTable() []errorEntry {
	return []errorEntry{
		{kernel.ErrNotFound, http.StatusNotFound, "NOT_FOUND", "请求的资源不存在"},
		{kernel.ErrConflict, http.StatusConflict, "CONFLICT", "数据已存在或已被修改，请刷新后重试"},
		{kernel.ErrUnauthenticated, http.StatusUnauthorized, "UNAUTHENTICATED", "请先登录"},
		{kernel.ErrForbidden, http.StatusForbidden, "FORBIDDEN", "没有权限执行此操作"},
		{kernel.ErrUnavailable, http.StatusServiceUnavailable, "UNAVAILABLE", "服务暂时不可用，请稍后重试"},
		{account.ErrCodeInvalid, http.StatusUnprocessableEntity, "SMS_CODE_INVALID", "验证码错误或已过期"},
		{account.ErrCodeLocked, http.StatusTooManyRequests, "SMS_CODE_LOCKED", "验证码错误次数过多，请重新获取验证码"},
		{account.ErrBadCredentials, http.StatusUnauthorized, "BAD_CREDENTIALS", "手机号或密码错误"},
		{account.ErrTokenInvalid, http.StatusUnauthorized, "TOKEN_INVALID", "登录已失效，请重新登录"},
		{account.ErrTokenReused, http.StatusUnauthorized, "TOKEN_REUSED", "登录凭证已被使用，为安全起见已退出所有相关登录，请重新登录"},
		{account.ErrWeChatCodeInvalid, http.StatusUnprocessableEntity, "WECHAT_CODE_INVALID", "微信登录凭证无效，请重新登录"},
		{account.ErrWeChatCodeUsed, http.StatusUnprocessableEntity, "WECHAT_CODE_USED", "微信登录凭证已使用，请重新登录"},
		{account.ErrWeChatPhoneRequired, http.StatusConflict, "WECHAT_PHONE_REQUIRED", "请授权手机号以绑定或创建账号"},
		{account.ErrWeChatPhoneUnsupported, http.StatusUnprocessableEntity, "WECHAT_PHONE_UNSUPPORTED", "仅支持中国大陆手机号"},
		{account.ErrWeChatUnavailable, http.StatusServiceUnavailable, "WECHAT_UNAVAILABLE", "微信服务暂时不可用，请稍后重试"},
		{account.ErrPasswordTooWeak, http.StatusUnprocessableEntity, "PASSWORD_TOO_WEAK", "密码至少8位"},
		{filing.ErrOrderInProgress, http.StatusConflict, "ORDER_IN_PROGRESS", "您有正在办理的备案订单，请先完成或放弃该订单"},
		{filing.ErrVersionMismatch, http.StatusPreconditionFailed, "VERSION_MISMATCH", "订单已被修改，请刷新后重试"},
		{filing.ErrOrderNotEditable, http.StatusConflict, "ORDER_NOT_EDITABLE", "订单当前状态不允许修改"},
		{filing.ErrTransitionNotAllowed, http.StatusConflict, "TRANSITION_NOT_ALLOWED", "订单当前状态不允许此操作"},
		{filing.ErrRequirementsUnmet, http.StatusConflict, "REQUIREMENTS_UNMET", "订单信息尚不完整，请按清单补充后再提交"},
		{filing.ErrOrderTypeNotAllowed, http.StatusConflict, "ORDER_TYPE_NOT_ALLOWED", "当前情况下不能办理该类型的备案"},
		{material.ErrTooLarge, http.StatusRequestEntityTooLarge, "MATERIAL_TOO_LARGE", "文件不能超过 9 MB"},
		{material.ErrUnsupportedType, http.StatusUnprocessableEntity, "MATERIAL_UNSUPPORTED_TYPE", "仅支持 JPG、PNG 图片或 PDF 文件"},
		{material.ErrImageDimensions, http.StatusUnprocessableEntity, "MATERIAL_IMAGE_TOO_LARGE", "图片尺寸过大，请缩小后重新上传"},
		{material.ErrNotColour, http.StatusUnprocessableEntity, "MATERIAL_NOT_COLOUR", "请上传彩色原件的扫描件或照片，不接受黑白复印件"},
		{material.ErrCorrupt, http.StatusUnprocessableEntity, "MATERIAL_CORRUPT", "文件已损坏或无法识别，请重新上传"},
		{review.ErrClaimedByOther, http.StatusConflict, "REVIEW_CLAIMED_BY_OTHER", "该订单已由其他审核人员领取"},
		{review.ErrClaimRequired, http.StatusConflict, "REVIEW_CLAIM_REQUIRED", "请先领取该订单（领取已过期或由他人持有）"},
		{inspection.ErrInspectionClosed, http.StatusConflict, "INSPECTION_CLOSED", "该核查已结束（已处理或已逾期），不能再操作"},
		{filing.ErrDomainFiledElsewhere, http.StatusConflict, "DOMAIN_FILED_ELSEWHERE",
			"域名已在其他主体下备案或正在备案。如域名属于您，请由原主体办理迁移互联网信息服务或转移备案；本系统之前备案的记录请办理认领备案；否则请联系域名持有人"},
		{filing.ErrUseTransfers, http.StatusUnprocessableEntity, "USE_TRANSFERS_ENDPOINT", "转移备案和迁移互联网信息服务请通过 POST /api/v1/transfers 办理（迁移会同时向接收方账号发送授权请求）"},
		{filing.ErrAuthorizationRequired, http.StatusConflict, "AUTHORIZATION_REQUIRED", "迁移需要接收方账号授权后才能提交"},
		{transfer.ErrAuthorizationDecided, http.StatusConflict, "AUTHORIZATION_DECIDED", "该授权请求已处理"},
		{transfer.ErrAuthorizationExpired, http.StatusGone, "AUTHORIZATION_EXPIRED", "授权验证码已过期"},
		{transfer.ErrAuthorizationCodeWrong, http.StatusUnprocessableEntity, "AUTHORIZATION_CODE_WRONG", "授权验证码错误"},
		{transfer.ErrAuthorizationLocked, http.StatusTooManyRequests, "AUTHORIZATION_LOCKED", "验证码错误次数过多，该授权请求已锁定"},
		{filing.ErrSMSCheckNotFound, http.StatusNotFound, "SMS_CHECK_NOT_FOUND", "该订单没有此负责人的短信核验"},
		{filing.ErrSMSCheckClosed, http.StatusConflict, "SMS_CHECK_CLOSED", "订单当前不在短信核验阶段"},
		{filing.ErrSMSAlreadyChecked, http.StatusConflict, "SMS_CHECK_ALREADY_VERIFIED", "该验证码已核验通过"},
		{filing.ErrSMSCheckWrongCode, http.StatusUnprocessableEntity, "SMS_CHECK_CODE_WRONG", "短信核验码错误，请核对后重新输入"},
		{filing.ErrSMSCheckFailed, http.StatusTooManyRequests, "SMS_CHECK_FAILED", "核验码错误次数过多，订单已退回，请修改后重新提交"},
		{verification.ErrQRNotFound, http.StatusNotFound, "QR_NOT_FOUND", "二维码无效，请在备案页面重新获取"},
		{verification.ErrQRUsed, http.StatusGone, "QR_USED", "二维码已被扫描，请在备案页面重新获取"},
		{verification.ErrQRRevoked, http.StatusGone, "QR_REVOKED", "二维码已更新，请扫描最新的二维码"},
		{verification.ErrQRExpired, http.StatusGone, "QR_EXPIRED", "二维码已过期，请在备案页面重新获取"},
		{verification.ErrVerificationNotPassed, http.StatusConflict, "VERIFICATION_NOT_PASSED", "请先上传并通过人脸照片检测"},
		{verification.ErrVerificationConfirmed, http.StatusConflict, "VERIFICATION_ALREADY_CONFIRMED", "核验已确认，无需重复操作"},
		{verification.ErrFaceAttemptsExhausted, http.StatusTooManyRequests, "FACE_ATTEMPTS_EXHAUSTED", "照片上传次数已用完，请重新获取二维码后扫码"},
		{verification.ErrConsentRequired, http.StatusUnprocessableEntity, "CONSENT_REQUIRED", "请先同意采集和使用人脸信息"},
	}
}

// lockoutRetryAfter is retry_after (seconds) for the lockouts of the error table, which are all 429:
// a locked SMS code may be replaced once the resend interval has passed; the other lockouts end
// as soon as the caller does what the message says (a new QR code, a resubmission, a new
// authorization request), so they answer 0.
var lockoutRetryAfter = map[string]int{"SMS_CODE_LOCKED": int(account.CodeResendAfter.Seconds())}

// Codes the api layer itself produces.
const (
	codeValidation    = "VALIDATION_FAILED"
	codeRateLimited   = "RATE_LIMITED"
	codeInternal      = "INTERNAL"
	codeBadJSON       = "INVALID_JSON"
	codeBodyTooLarge  = "BODY_TOO_LARGE"
	codeRouteNotFound = "ROUTE_NOT_FOUND"
	codeImageBusy     = "IMAGE_BUSY"
)

type errorBody struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	RetryAfter *int              `json:"retry_after,omitempty"`
	filingDetails
}

type errorResponse struct {
	Error     errorBody `json:"error"`
	RequestID string    `json:"request_id"`
}

// writeError answers with the envelope for err. Unknown errors are 500s whose body says nothing of
// the cause; the log line (with the request id) does.
func writeError(c *gin.Context, err error) {
	var fe kernel.FieldErrors
	var rl *kernel.RateLimitError
	var busy *imaging.BusyError
	switch {
	case errors.As(err, &fe):
		abort(c, http.StatusUnprocessableEntity, errorBody{Code: codeValidation, Message: "提交的信息有误，请检查标出的字段", Fields: fe})
		return
	case errors.As(err, &rl):
		secs := int(math.Ceil(rl.RetryAfter.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		abort(c, http.StatusTooManyRequests, errorBody{Code: codeRateLimited, Message: "操作过于频繁，请稍后再试", RetryAfter: &secs})
		return
	case errors.As(err, &busy):
		secs := int(math.Ceil(busy.RetryAfter.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		abort(c, http.StatusServiceUnavailable, errorBody{Code: codeImageBusy, Message: "图片处理繁忙，请稍后重试", RetryAfter: &secs})
		return
	}
	for _, e := range errorTable() {
		if errors.Is(err, e.err) {
			body := errorBody{Code: e.code, Message: e.message}
			if e.status == http.StatusTooManyRequests {
				secs := lockoutRetryAfter[e.code]
				c.Header("Retry-After", strconv.Itoa(secs))
				body.RetryAfter = &secs
			}
			addFilingDetails(err, &body)
			abort(c, e.status, body)
			return
		}
	}
	if c.Request.Context().Err() != nil && errors.Is(err, c.Request.Context().Err()) {
		// The client went away (or its deadline passed) before the answer was ready: not a fault of
		// the service. Nobody reads the answer; 499 is what the access log records for it.
		loggerFrom(c).InfoContext(c.Request.Context(), "client closed the request", "err", err)
		c.AbortWithStatus(statusClientClosedRequest)
		return
	}
	loggerFrom(c).ErrorContext(c.Request.Context(), "request failed", "err", err)
	abort(c, http.StatusInternalServerError, errorBody{Code: codeInternal, Message: "服务器内部错误，请稍后重试"})
}

// statusClientClosedRequest is the status (nginx's convention) logged for a request whose client left
// before it was answered.
const statusClientClosedRequest = 499

func abort(c *gin.Context, status int, body errorBody) {
	c.AbortWithStatusJSON(status, errorResponse{Error: body, RequestID: requestID(c)})
}

func loggerFrom(c *gin.Context) *slog.Logger {
	l := slog.Default()
	if v, ok := c.Get(ctxLogger); ok {
		l = v.(*slog.Logger)
	}
	if id := requestID(c); id != "" {
		l = l.With("request_id", id)
	}
	return l
}

// Package sender holds the real provider adapters behind service.SMSSender and service.EmailSender:
// Tencent Cloud SMS (API 3.0, signed by hand with TC3-HMAC-SHA256) and SMTP e-mail (go-mail).
//
// Every failure a job handler should not retry wraps ErrPermanent; everything else is worth another
// attempt. Error strings carry neither secrets (SecretKey, Password) nor the recipient's phone number
// or address, so they may be logged and stored with the task as they are.
package sender

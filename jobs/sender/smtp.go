package sender

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/beian/beian/service/notify"
)

// TLSMode is how SMTPMailer protects the connection to the server.
type TLSMode string

// The TLS modes: plain text, STARTTLS required after EHLO, or TLS from the first byte ("SMTPS").
const (
	TLSNone     TLSMode = "none"
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
)

// ParseTLSMode accepts "none", "starttls" and "tls" (any case, surrounding spaces ignored).
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(strings.ToLower(strings.TrimSpace(s))); m {
	case TLSNone, TLSStartTLS, TLSImplicit:
		return m, nil
	}
	return "", fmt.Errorf("tls mode %q: want none, starttls or tls", s)
}

const smtpTimeout = 10 * time.Second

// SMTPConfig configures SMTPMailer. Host and From are required. Port defaults by TLS mode (25 for
// none, 587 for starttls, 465 for tls), TLS defaults to starttls and Timeout to 10 s; Timeout bounds
// each connection from dial to QUIT. Username empty means no SMTP AUTH; otherwise PLAIN or LOGIN is
// used, and go-mail refuses both over an unencrypted connection unless Host is the loopback address.
// FromName is the optional display name, RFC 2047-encoded when it is not ASCII. TLSConfig is
// optional (a private CA, say); its ServerName defaults to Host.
type SMTPConfig struct {
	Host      string
	Port      int
	Username  string
	Password  string
	From      string
	FromName  string
	TLS       TLSMode
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// String prints the configuration with Password masked, so the struct is safe to log.
func (c SMTPConfig) String() string {
	return fmt.Sprintf("{Host:%s Port:%d Username:%s Password:%s From:%s FromName:%s TLS:%s Timeout:%s}",
		c.Host, c.Port, c.Username, mask(c.Password), c.From, c.FromName, c.TLS, c.Timeout)
}

// GoString is String, so %#v masks the secret too.
func (c SMTPConfig) GoString() string { return c.String() }

// SMTPMailer sends plain-text UTF-8 e-mail over one fresh SMTP connection per message. It implements
// service.EmailSender and is safe for concurrent use.
type SMTPMailer struct {
	cfg       SMTPConfig
	from      *mail.Address
	domain    string
	tlsConfig *tls.Config
}

// NewSMTPMailer validates cfg, fills its defaults and returns a mailer. It does not connect.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	cfg, err := smtpDefaults(cfg)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || from.Name != "" {
		return nil, errors.New("smtp config: From must be a bare address such as noreply@example.com")
	}
	from.Name = cfg.FromName
	_, domain, _ := strings.Cut(from.Address, "@")
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = cfg.Host
	}
	return &SMTPMailer{cfg: cfg, from: from, domain: domain, tlsConfig: tlsConfig}, nil
}

func smtpDefaults(cfg SMTPConfig) (SMTPConfig, error) {
	var problems []string
	if strings.TrimSpace(cfg.Host) == "" {
		problems = append(problems, "missing Host")
	}
	if strings.TrimSpace(cfg.From) == "" {
		problems = append(problems, "missing From")
	}
	if cfg.Username != "" && cfg.Password == "" {
		problems = append(problems, "missing Password for Username")
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	mode, err := ParseTLSMode(string(cfg.TLS))
	if err != nil {
		problems = append(problems, err.Error())
	}
	cfg.TLS = mode
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[mode]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		problems = append(problems, "Port out of range")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = smtpTimeout
	}
	if len(problems) > 0 {
		return cfg, fmt.Errorf("smtp config: %s", strings.Join(problems, "; "))
	}
	return cfg, nil
}

// SendEmail delivers e as a text/plain UTF-8 message with Message-ID <beian-{e.ID}@{From domain}>,
// so a resend of the same outbox row is recognisable downstream. It returns once the server has
// accepted the DATA; a later failure (RSET, QUIT) no longer counts, since a retry would duplicate
// the mail. Cancelling ctx aborts the conversation. SMTP 5xx replies and unusable input wrap
// ErrPermanent; errors never carry the Password or the recipient's address.
func (s *SMTPMailer) SendEmail(ctx context.Context, e notify.Email) error {
	msg, err := s.message(e)
	if err != nil {
		return fmt.Errorf("smtp send email %s: %w", e.ID, permanent(err))
	}
	var stop func() bool
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		conn, tlsConn, err := s.dial(dialCtx, network, addr)
		if err == nil {
			stop = context.AfterFunc(ctx, func() { conn.Close() })
		}
		return tlsConn, err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options(dial)...)
	if err != nil {
		return fmt.Errorf("smtp send email %s: %w", e.ID, permanent(err))
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if stop != nil {
		stop()
	}
	if msg.IsDelivered() {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smtp send email %s: %w", e.ID, ctxErr)
	}
	return fmt.Errorf("smtp send email %s: %w", e.ID, describeSMTPError(err))
}

// message builds the MIME message: From, To, Subject, Message-ID and a quoted-printable UTF-8 body.
func (s *SMTPMailer) message(e notify.Email) (*gomail.Msg, error) {
	if !messageIDSafe(e.ID) {
		return nil, errors.New("email id must be non-empty letters, digits, '.', '-' or '_'")
	}
	to, err := mail.ParseAddress(e.To)
	if err != nil {
		return nil, errors.New("recipient is not a valid address")
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue("beian-" + e.ID + "@" + s.domain)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	return msg, nil
}

// dial connects and, in tls mode, completes the handshake. It returns the raw connection (closed
// when the caller's ctx ends) and the one to speak SMTP over.
func (s *SMTPMailer) dial(ctx context.Context, network, addr string) (raw, conn net.Conn, err error) {
	var d net.Dialer
	raw, err = d.DialContext(ctx, network, addr)
	if err != nil || s.cfg.TLS != TLSImplicit {
		return raw, raw, err
	}
	tlsConn := tls.Client(raw, s.tlsConfig)
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, err
	}
	return raw, tlsConn, nil
}

func (s *SMTPMailer) options(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithTLSConfig(s.tlsConfig),
		gomail.WithDialContextFunc(dial),
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// describeSMTPError turns a go-mail error into one without recipient addresses: for a refused
// command it keeps the step and the reply codes. A 5xx reply, during the transaction or before it
// (EHLO, STARTTLS, AUTH), is permanent; network failures and 4xx replies are not.
func describeSMTPError(err error) error {
	var sendErr *gomail.SendError
	if !errors.As(err, &sendErr) {
		var reply *textproto.Error
		if errors.As(err, &reply) && reply.Code >= 500 {
			return permanent(err)
		}
		return err
	}
	desc := fmt.Errorf("%s (reply %s %s)", sendErr.Reason, strconv.Itoa(sendErr.ErrorCode()),
		sendErr.EnhancedStatusCode())
	if sendErr.IsTemp() {
		return desc
	}
	return permanent(desc)
}

// messageIDSafe accepts ids that can stand unquoted on the left of a Message-ID.
func messageIDSafe(id string) bool {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_", r)) {
			return false
		}
	}
	return id != "" && !strings.HasPrefix(id, ".") && !strings.HasSuffix(id, ".") && !strings.Contains(id, "..")
}

package filing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"slices"
	"strings"
	"time"
)

// Rules of the emulated MIIT SMS check (短信核验).
const (
	SMSCheckWindow   = 24 * time.Hour // all codes must be entered within this window
	SMSCheckMaxWrong = 5              // wrong entries allowed; the next wrong one returns the order
)

// Reason codes the SMS check records when it returns an order.
const (
	ReasonSMSTimeout          = "SMS_TIMEOUT"
	ReasonSMSTooManyAttempts  = "SMS_TOO_MANY_ATTEMPTS"
	smsCheckTransferPersonKey = "account_holder"
)

// Errors of the SMS check.
var (
	ErrSMSCheckNotFound  = errors.New("no SMS check for that person on this order")
	ErrSMSCheckClosed    = errors.New("the order is not waiting for SMS verification")
	ErrSMSAlreadyChecked = errors.New("that code was already verified")
	ErrSMSCheckWrongCode = errors.New("wrong SMS check code")
	ErrSMSCheckFailed    = errors.New("too many wrong SMS check codes; the order was returned")
)

// SMSCheck is one code of an SMS check round: sent to one phone and covering every responsible
// person who uses that phone (one SMS when subject and service principal share a number).
type SMSCheck struct {
	Persons    []string // PersonRef.String() of each person covered, or "account_holder" (transfer)
	Phone      string
	CodeHash   string
	WrongTries int
	VerifiedAt *time.Time
	SentAt     time.Time
}

// SMSCheckRound is the SMS check of an order handed to the bureau.
type SMSCheckRound struct {
	Checks   []SMSCheck
	Deadline time.Time
}

// Complete reports whether every code of the round was verified.
func (r SMSCheckRound) Complete() bool {
	return len(r.Checks) > 0 && !slices.ContainsFunc(r.Checks, func(c SMSCheck) bool { return c.VerifiedAt == nil })
}

// find returns the index of the check covering person ("subject_principal", "service_principal",
// "service_principal:ID" or "account_holder"); a bare "service_principal" matches when exactly one
// service principal check exists.
func (r SMSCheckRound) find(person string) (int, error) {
	match := -1
	for i, c := range r.Checks {
		for _, p := range c.Persons {
			if p == person || (person == string(RoleServicePrincipal) && strings.HasPrefix(p, person+":")) {
				if match >= 0 && match != i {
					return -1, fmt.Errorf("%q is ambiguous, name the service (service_principal:ID): %w", person, ErrSMSCheckNotFound)
				}
				match = i
			}
		}
	}
	if match < 0 {
		return -1, ErrSMSCheckNotFound
	}
	return match, nil
}

// smsCheckPersons lists who must confirm an order of type t by SMS: both
// principals for a first filing, a claim and a change of both; the subject principal for subject
// changes and cancellation; the service principals for service orders; nobody for cancel access.
// A transfer is confirmed by the current account holder instead.
func smsCheckPersons(o Order) []personPhone {
	subject := personPhone{PersonRef{Role: RoleSubjectPrincipal}.String(), o.Proposal.Subject.Principal.Mobile}
	var services []personPhone
	for _, s := range o.Proposal.Services {
		services = append(services, personPhone{PersonRef{Role: RoleServicePrincipal, ServiceID: s.ID}.String(), s.Principal.Mobile})
	}
	switch o.Type {
	case OrderNewFiling, OrderClaim, OrderChangeBoth:
		return append([]personPhone{subject}, services...)
	case OrderChangeSubject, OrderCancelSubject:
		return []personPhone{subject}
	case OrderNewService, OrderNewAccess, OrderChangeService, OrderCancelService, OrderMigrate:
		return services
	}
	return nil
}

type personPhone struct{ person, phone string }

// newSMSCheckRound makes one code per distinct phone of people and returns the round and, per
// check, the plain code to send. key keys the HMAC under which codes are stored.
func newSMSCheckRound(people []personPhone, key []byte, now time.Time) (SMSCheckRound, []string, error) {
	round := SMSCheckRound{Deadline: now.Add(SMSCheckWindow)}
	var codes []string
	for _, pp := range people {
		if i := slices.IndexFunc(round.Checks, func(c SMSCheck) bool { return c.Phone == pp.phone }); i >= 0 {
			round.Checks[i].Persons = append(round.Checks[i].Persons, pp.person)
			continue
		}
		code, err := kernel.RandomDigits(6)
		if err != nil {
			return SMSCheckRound{}, nil, err
		}
		round.Checks = append(round.Checks, SMSCheck{Persons: []string{pp.person}, Phone: pp.phone,
			CodeHash: smsCheckHash(key, pp.phone, code), SentAt: now})
		codes = append(codes, code)
	}
	return round, codes, nil
}

func smsCheckHash(key []byte, phone, code string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "sms-check|%s|%s", phone, code)
	return hex.EncodeToString(m.Sum(nil))
}

// StartSMSCheck opens the SMS check of an order that has just entered sms_verifying: one code per
// distinct phone of the persons its type needs (the account holder's own phone for a transfer), a
// 24-hour deadline, and each code's SMS queued with the order.
func (o *Order) StartSMSCheck(key []byte, accountPhone string, now time.Time) error {
	if o.Status != StatusSMSVerifying {
		return fmt.Errorf("order %d is %s: %w", o.ID, o.Status, ErrSMSCheckClosed)
	}
	people := smsCheckPersons(*o)
	if o.Type == OrderTransfer {
		people = []personPhone{{smsCheckTransferPersonKey, accountPhone}}
	}
	if len(people) == 0 {
		return fmt.Errorf("order %d (%s) has nobody to verify by SMS: %w", o.ID, o.Type, ErrSMSCheckNotFound)
	}
	round, codes, err := newSMSCheckRound(people, key, now)
	if err != nil {
		return err
	}
	o.SMS, o.DeadlineAt = &round, &round.Deadline
	for i, c := range round.Checks {
		o.Notify(notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateSMSCheckCode, Recipient: c.Phone,
			Params: map[string]string{"order_id": fmt.Sprint(o.ID), "code": codes[i]}, CreatedAt: now})
	}
	return nil
}

// VerifySMSCode checks code for person. A right code marks that check verified and, once every
// check is, moves the order on (EventSMSVerified). A wrong code counts; the wrong code after
// SMSCheckMaxWrong returns the order (EventSMSFailed). The order changes either way, so callers
// persist it and then report the returned error (ErrSMSCheckWrongCode, ErrSMSCheckFailed, …).
func (o *Order) VerifySMSCode(person, code string, key []byte, now time.Time) error {
	if o.ExpireSMSCheck(now) {
		return fmt.Errorf("order %d: deadline passed: %w", o.ID, ErrSMSCheckClosed)
	}
	c, err := o.openSMSCheck(person)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(c.CodeHash), []byte(smsCheckHash(key, c.Phone, code))) {
		c.WrongTries++
		if c.WrongTries <= SMSCheckMaxWrong {
			return fmt.Errorf("%d tries left: %w", SMSCheckMaxWrong-c.WrongTries, ErrSMSCheckWrongCode)
		}
		if err := o.TransitionWith(EventSMSFailed, Actor{Kind: ActorSystem}, now, []string{ReasonSMSTooManyAttempts}, ""); err != nil {
			return err
		}
		o.DeadlineAt = nil
		return ErrSMSCheckFailed
	}
	t := now
	c.VerifiedAt = &t
	if o.SMS.Complete() {
		o.DeadlineAt = nil
		return o.Transition(EventSMSVerified, Actor{Kind: ActorSystem}, now)
	}
	return nil
}

// ExpireSMSCheck returns the order (EventSMSTimeout, reason SMS_TIMEOUT) if its SMS check is past
// its deadline at now, and reports whether it did.
func (o *Order) ExpireSMSCheck(now time.Time) bool {
	if o.Status != StatusSMSVerifying || o.DeadlineAt == nil || now.Before(*o.DeadlineAt) {
		return false
	}
	if o.TransitionWith(EventSMSTimeout, Actor{Kind: ActorSystem}, now, []string{ReasonSMSTimeout}, "") != nil {
		return false
	}
	o.DeadlineAt = nil
	return true
}

// openSMSCheck is person's check while the order waits for SMS codes and that check is not yet
// verified.
func (o *Order) openSMSCheck(person string) (*SMSCheck, error) {
	if o.Status != StatusSMSVerifying || o.SMS == nil {
		return nil, fmt.Errorf("order %d is %s: %w", o.ID, o.Status, ErrSMSCheckClosed)
	}
	i, err := o.SMS.find(person)
	if err != nil {
		return nil, err
	}
	if o.SMS.Checks[i].VerifiedAt != nil {
		return nil, ErrSMSAlreadyChecked
	}
	return &o.SMS.Checks[i], nil
}

// ResendSMSCode replaces person's code with a new one (same deadline, wrong tries kept) and queues
// its SMS.
func (o *Order) ResendSMSCode(person string, key []byte, now time.Time) error {
	c, err := o.openSMSCheck(person)
	if err != nil {
		return err
	}
	code, err := kernel.RandomDigits(6)
	if err != nil {
		return err
	}
	c.CodeHash, c.SentAt = smsCheckHash(key, c.Phone, code), now
	o.Notify(notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateSMSCheckCode, Recipient: c.Phone,
		Params: map[string]string{"order_id": fmt.Sprint(o.ID), "code": code}, CreatedAt: now})
	return nil
}

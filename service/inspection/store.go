package inspection

import (
	"context"
	"errors"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"time"
)

// InspectionStatus is where a post-filing check (备案核查) stands.
type InspectionStatus string

// Inspection statuses: open (notice sent), answered (the applicant replied; still open for the
// reviewer), resolved (the reviewer closed it), overdue (the deadline passed unresolved and this
// provider's access was cancelled).
const (
	InspectionOpen     InspectionStatus = "open"
	InspectionAnswered InspectionStatus = "answered"
	InspectionResolved InspectionStatus = "resolved"
	InspectionOverdue  InspectionStatus = "overdue"
)

// ParseInspectionStatus accepts the four status names.
func ParseInspectionStatus(s string) (InspectionStatus, error) {
	switch st := InspectionStatus(s); st {
	case InspectionOpen, InspectionAnswered, InspectionResolved, InspectionOverdue:
		return st, nil
	}
	return "", kernel.FieldErrors{"status": kernel.CodeInvalid}
}

// ErrInspectionClosed means the inspection is resolved or overdue and takes no more answers or
// resolutions.
var ErrInspectionClosed = errors.New("inspection closed")

// Inspection is a post-filing check of one filed subject (ServiceID 0) or service. Target is the
// record's label as the notices name it.
type Inspection struct {
	ID            int64
	AccountID     int64
	SubjectID     int64
	ServiceID     int64
	Target        string
	Reasons       []string // catalogue codes of scope inspection
	Comment       string
	DeadlineAt    time.Time
	Status        InspectionStatus
	AnswerNote    string
	AnswerOrderID int64 // the change order the applicant answered with, 0 when none
	AnsweredAt    *time.Time
	OpenedBy      int64
	ResolvedBy    int64
	ResolvedAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// InspectionFilter selects inspections, newest first: of one account (0: all), in one status
// ("" : any), with ids below BeforeID (0: from the newest).
type InspectionFilter struct {
	AccountID int64
	Status    InspectionStatus
	BeforeID  int64
	Limit     int
}

// InspectionTarget is the live filed record an inspection is opened on.
type InspectionTarget struct {
	Subject filing.Subject
	Service *filing.FiledService // nil for an inspection of the subject
}

// InspectionStore keeps inspections. Every state change is one conditional UPDATE on the status,
// written with its event row and its notifications (outbox) in one transaction.
type InspectionStore interface {
	// InspectionTarget loads the live subject (serviceID 0) or live service; ErrNotFound otherwise.
	InspectionTarget(ctx context.Context, subjectID, serviceID int64) (InspectionTarget, error)
	// CreateInspection inserts an open inspection with its notices.
	CreateInspection(ctx context.Context, in Inspection, notes []notify.Notification) (Inspection, error)
	Inspection(ctx context.Context, id int64) (Inspection, error)
	ListInspections(ctx context.Context, f InspectionFilter) ([]Inspection, error)
	// AnswerInspection records the answer of the account's open or answered inspection;
	// ErrInspectionClosed when it is resolved or overdue, ErrNotFound for another account's.
	AnswerInspection(ctx context.Context, id, accountID int64, note string, orderID int64, now time.Time) (Inspection, error)
	// ResolveInspection closes an open or answered inspection; ErrInspectionClosed otherwise.
	ResolveInspection(ctx context.Context, id, reviewerID int64, comment string, now time.Time) (Inspection, error)
	// ExpireInspection marks the inspection overdue if it is open or answered and its deadline is at
	// or before now, and in the same transaction cancels this provider's access to its records and
	// writes notes. It reports whether this call did it: exactly one concurrent caller wins.
	ExpireInspection(ctx context.Context, id int64, now time.Time, notes []notify.Notification) (bool, error)
	// InspectionsDue lists ids of open or answered inspections whose deadline is at or before now.
	InspectionsDue(ctx context.Context, now time.Time, limit int) ([]int64, error)
}

// InspectionDeadlines schedules the task that enforces one inspection's deadline at its time.
type InspectionDeadlines interface {
	ScheduleInspectionDeadline(ctx context.Context, inspectionID int64, at time.Time) error
}

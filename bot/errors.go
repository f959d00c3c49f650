package bot

import (
	"errors"
	"fmt"
)

// Code identifies why a rule refused an action. Codes are stable: the
// engine, the adapters and tests branch on them, users see the Text.
type Code string

// Error is a refusal by a lifecycle rule or a lookup: a code for programs and
// a message in both languages for the person who typed the command.
type Error struct {
	Code  Code
	Field string // the form field at fault, when there is one
	Msg   Text
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Msg.EN)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Msg.EN)
}

// Message is what a user reads.
func (e *Error) Message(lang Lang) string { return e.Msg.In(lang) }

// Is makes errors.Is(err, &Error{Code: X}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// Refuse builds a refusal.
func Refuse(code Code, zh, en string) *Error {
	return &Error{Code: code, Msg: Text{ZH: zh, EN: en}}
}

// RefuseField builds a refusal about one form field.
func RefuseField(code Code, field, zh, en string) *Error {
	return &Error{Code: code, Field: field, Msg: Text{ZH: zh, EN: en}}
}

// ErrorCode returns the code of the first *Error in err's chain, or "".
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// UserMessage turns any error into something a user can read: the
// localised message of a refusal, or a generic apology for an internal
// failure (whose cause belongs in the operator's log, not in the chat).
func UserMessage(err error, lang Lang) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message(lang)
	}
	return Text{
		ZH: "抱歉,处理时出现内部错误,已记录。请稍后再试。",
		EN: "Sorry, something went wrong on our side; it has been logged. Please try again shortly.",
	}.In(lang)
}

// Codes used across the core.
const (
	CodeNotFound      Code = "not_found"
	CodeForbidden     Code = "forbidden"
	CodeRequired      Code = "required"
	CodeInvalid       Code = "invalid"
	CodeWrongState    Code = "wrong_state"
	CodeArchived      Code = "archived"
	CodeAlreadyDone   Code = "already_done"
	CodeDueInPast     Code = "due_in_past"
	CodeUnknownDept   Code = "unknown_department"
	CodeUnknownPerson Code = "unknown_person"
	CodeConflict      Code = "conflict"
	CodeDuplicate     Code = "duplicate_event"
)

// ErrConflict is returned by a store when a record changed under a writer
// (optimistic concurrency); the caller reloads and tries again.
var ErrConflict = Refuse(CodeConflict,
	"记录刚被其他人修改,请重试。",
	"The record was changed by someone else just now; please try again.")

// ErrDuplicateEvent is returned by Store.Apply for an inbound event that
// was already applied: nothing changes and nothing is sent.
var ErrDuplicateEvent = Refuse(CodeDuplicate,
	"该消息已处理过。",
	"This message was already handled.")

package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Code identifies why a rule refused an action. Codes are stable: the
// engine, the adapters and tests branch on them, users read the Msg.
type Code string

// Error is a refusal by a lifecycle rule or a lookup: a code for programs
// and, for the person who typed the command, a message of the wording
// catalogue (internal/words) that is written in their language where the
// refusal becomes a reply (words.Refusal).
type Error struct {
	Code  Code
	Field string // the form field at fault, when there is one
	Msg   Msg
}

// Msg names a text of the wording catalogue and fills its placeholders:
// what a refusal says before anyone knows the language it will be read in.
// bot imports only the standard library, so it names its wording by key
// ("refuse.ack.already_answered") and internal/words writes it.
type Msg struct {
	Key  string
	Args Args
}

// Args fill a Msg's placeholders. A value that is itself wording — a Text
// (a status label), a Msg, a List — is written in the reader's language;
// any other is written as fmt.Sprint writes it.
type Args map[string]any

// List is items listed as the reader's language lists them ("甲、乙" /
// "a, b"); an item may be wording (a Text) or a plain value.
type List []any

// Who is a person a refusal names. bot knows people by id only; where the
// refusal becomes a reply the engine has the directory, and words writes a
// Who as the directory names that person (王芳 Amy), the id only when the
// directory does not know them (and in logs).
type Who PersonID

// Whos lists people a refusal names ("林莉 Lily、Henry Zhou").
func Whos(ids []PersonID) List {
	out := make(List, len(ids))
	for i, id := range ids {
		out[i] = Who(id)
	}
	return out
}

// Error is the refusal in English with its code, for logs.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Msg.english())
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Msg.english())
}

// Is makes errors.Is(err, &Error{Code: X}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// Refuse builds a refusal saying the catalogue's text key.
func Refuse(code Code, key string, args Args) *Error {
	return &Error{Code: code, Msg: Msg{Key: key, Args: args}}
}

// RefuseField builds a refusal about one form field.
func RefuseField(code Code, field, key string, args Args) *Error {
	return &Error{Code: code, Field: field, Msg: Msg{Key: key, Args: args}}
}

// ErrorCode returns the code of the first *Error in err's chain, or "".
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// writer writes a Msg in a language: internal/words registers its
// catalogue with SetWriter when it loads.
var writer func(Lang, Msg) string

// SetWriter is how the wording catalogue (internal/words) makes refusals
// read as sentences in logs, the one place bot writes a Msg itself (in
// Error). Without a writer a refusal logs as its key and arguments.
func SetWriter(write func(Lang, Msg) string) { writer = write }

func (m Msg) english() string {
	if writer != nil {
		return writer(English, m)
	}
	keys := make([]string, 0, len(m.Args))
	for k := range m.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(m.Key)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, m.Args[k])
	}
	return b.String()
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
var ErrConflict = Refuse(CodeConflict, "refuse.conflict", nil)

// ErrDuplicateEvent is returned by Store.Apply for an inbound event that
// was already applied: nothing changes and nothing is sent.
var ErrDuplicateEvent = Refuse(CodeDuplicate, "refuse.duplicate_event", nil)

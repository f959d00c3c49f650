package bot

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFieldRunes caps one free-text field: enough for a detailed
// requirement, small enough that a pasted log cannot bloat every board.
const MaxFieldRunes = 4000

// required refuses an empty answer to field, which people know by label
// (a key of the catalogue, "refuse.label.reason").
func required(field, value, label string) error {
	v := strings.TrimSpace(value)
	if v == "" {
		return RefuseField(CodeRequired, field, "refuse.required", Args{"label": Msg{Key: label}})
	}
	return limit(field, v, label)
}

// limit refuses a free-text answer longer than MaxFieldRunes.
func limit(field, value, label string) error {
	if len(value) > MaxFieldRunes && utf8.RuneCountInString(value) > MaxFieldRunes {
		return RefuseField(CodeInvalid, field, "refuse.too_long", Args{"label": Msg{Key: label}})
	}
	return nil
}

// FutureDue refuses a deadline that is missing or not after now. The
// engine also uses it to refuse a past date as soon as it is typed.
func FutureDue(field string, due, now time.Time) error {
	if due.IsZero() {
		return RefuseField(CodeRequired, field, "refuse.due.missing", nil)
	}
	if !due.After(now) {
		return RefuseField(CodeDueInPast, field, "refuse.due.past", Args{"at": due.Format("2006-01-02 15:04")})
	}
	return nil
}

// firstError returns the first refusal of several checks, so a form with
// many fields reports them in the order people fill them in.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func forbidden(key string, args Args) error { return Refuse(CodeForbidden, key, args) }

// wrongState refuses what the collaboration's status does not allow,
// saying the status in the reader's words.
func wrongState(s CollabStatus, key string, args Args) error {
	return Refuse(CodeWrongState, "refuse.wrong_state", Args{"refusal": Msg{Key: key, Args: args}, "status": s.LabelText()})
}

func unknownPerson(field string, id PersonID) error {
	return RefuseField(CodeUnknownPerson, field, "refuse.person.unknown", Args{"id": string(id)})
}

func notFound(ref string) error {
	return Refuse(CodeNotFound, "refuse.not_found", Args{"ref": ref})
}

// writable refuses every change to a closed collaboration: archived records
// are read-only and cancelled ones stay as they were left.
func (c *Collaboration) writable() error {
	switch c.Status {
	case StatusArchived:
		return Refuse(CodeArchived, "refuse.closed.archived", Args{"ref": c.ID.String()})
	case StatusCancelled:
		return Refuse(CodeArchived, "refuse.closed.cancelled", Args{"ref": c.ID.String()})
	}
	return nil
}

// inPlay refuses work (tasks, meetings, progress) before the request has
// been submitted and after it is closed.
func (c *Collaboration) inPlay() error {
	if err := c.writable(); err != nil {
		return err
	}
	switch c.Status {
	case StatusAwaitingAck, StatusActive, StatusAccepting, StatusRetrospective:
		return nil
	}
	return wrongState(c.Status, "refuse.request.not_in_play", nil)
}

func (c *Collaboration) isRequester(a Actor) bool   { return a.Person == c.Requester }
func (c *Collaboration) isCoordinator(a Actor) bool { return a.Person == c.Coordinator }

// SpeaksFor reports whether the actor may answer for an assisting
// department: its named contact on this request, its configured contact or
// its head. Ordinary members cannot commit their department's resources.
func (c *Collaboration) SpeaksFor(a Actor, dept string) bool {
	for _, as := range c.Request.Departments {
		if as.Department == dept && as.Contact == a.Person {
			return true
		}
	}
	return slices.Contains(a.ContactOf, dept) || a.Heads(dept)
}

// involved reports whether the actor has any role in the collaboration.
func (c *Collaboration) involved(a Actor) bool {
	return a.Leadership || slices.Contains(c.Participants(), a.Person) ||
		slices.ContainsFunc(c.Request.Departments, func(as Assignment) bool { return c.SpeaksFor(a, as.Department) }) ||
		a.Heads(c.RequestingDept)
}

func (c *Collaboration) hasDepartment(dept string) bool {
	return dept == c.RequestingDept ||
		slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return a.Department == dept })
}

func (c *Collaboration) contactOf(dept string) PersonID {
	for _, a := range c.Request.Departments {
		if a.Department == dept {
			return a.Contact
		}
	}
	return ""
}

// cleanList trims items and drops empty ones.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

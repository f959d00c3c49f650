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

func required(field, value, zh, en string) error {
	v := strings.TrimSpace(value)
	if v == "" {
		return RefuseField(CodeRequired, field, "请填写“"+zh+"”。", "Please fill in “"+en+"”.")
	}
	return limit(field, v, zh, en)
}

// limit refuses a free-text answer longer than MaxFieldRunes.
func limit(field, value, zh, en string) error {
	if len(value) > MaxFieldRunes && utf8.RuneCountInString(value) > MaxFieldRunes {
		return RefuseField(CodeInvalid, field,
			"“"+zh+"”过长(最多4000字),请精简或改附链接。",
			"“"+en+"” is too long (4,000 characters at most); shorten it or attach a link.")
	}
	return nil
}

// FutureDue refuses a deadline that is missing or not after now. The
// engine also uses it to refuse a past date as soon as it is typed.
func FutureDue(field string, due, now time.Time) error {
	if due.IsZero() {
		return RefuseField(CodeRequired, field, "请填写截止时间,例如 2026-12-01。",
			"Please give a due date, for example 2026-12-01.")
	}
	if !due.After(now) {
		return RefuseField(CodeDueInPast, field,
			"截止时间 "+due.Format("2006-01-02 15:04")+" 已过,请填写将来的时间。",
			"The due date "+due.Format("2006-01-02 15:04")+" has passed; give a date in the future.")
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

func forbidden(zh, en string) error { return Refuse(CodeForbidden, zh, en) }

func wrongState(s CollabStatus, zh, en string) error {
	return Refuse(CodeWrongState,
		zh+"(当前状态:"+s.Label(Chinese)+")",
		en+" (current status: "+s.Label(English)+")")
}

func unknownPerson(field string, id PersonID) error {
	return RefuseField(CodeUnknownPerson, field,
		"找不到人员“"+string(id)+"”,请 @ 对方或填写通讯录中的编号。",
		"No one called “"+string(id)+"” is known; @-mention them or use their directory id.")
}

func notFound(ref string) error {
	return Refuse(CodeNotFound, "找不到 "+ref+"。", ref+" was not found.")
}

// writable refuses every change to a closed collaboration: archived records
// are read-only and cancelled ones stay as they were left.
func (c *Collaboration) writable() error {
	switch c.Status {
	case StatusArchived:
		return Refuse(CodeArchived, c.ID.String()+" 已归档,只读。", c.ID.String()+" is archived and read-only.")
	case StatusCancelled:
		return Refuse(CodeArchived, c.ID.String()+" 已取消,不能再修改。", c.ID.String()+" was cancelled and cannot change.")
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
	return wrongState(c.Status, "需求尚未提交或未通过初审。", "The request has not been submitted or passed review yet.")
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

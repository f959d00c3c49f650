package forms

import (
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// Values are the canonical answers of one form by field key, as Parse
// returns them. The engine keeps them as JSON between messages. The
// getters read the canonical forms back into domain values; a missing key
// or a malformed value (an older or hand-edited record) gives the zero
// value, never a panic.
type Values map[string]string

// Text is the answer as stored: free text, a choice value, a ref ("T-3").
func (v Values) Text(key string) string { return v[key] }

// Time reads a date or datetime answer in loc (nil: UTC), which must be
// the calendar's location the answer was parsed in.
func (v Values) Time(key string, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(TimeLayout, v[key], loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// List reads a list answer, one item per line.
func (v Values) List(key string) []string { return lines(v[key]) }

// People reads a person or people answer.
func (v Values) People(key string) []bot.PersonID {
	var out []bot.PersonID
	for _, s := range strings.Split(v[key], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, bot.PersonID(s))
		}
	}
	return out
}

// Person reads a person answer.
func (v Values) Person(key string) bot.PersonID {
	if p := v.People(key); len(p) > 0 {
		return p[0]
	}
	return ""
}

// Departments reads a department or departments answer: canonical names.
func (v Values) Departments(key string) []string {
	var out []string
	for _, s := range strings.Split(v[key], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Number reads a number answer.
func (v Values) Number(key string) int {
	n, _ := strconv.Atoi(v[key])
	return n
}

// Duration reads an elapsed-time duration answer; a business-time answer
// ("3bd") has no fixed length and gives 0: use Span.
func (v Values) Duration(key string) time.Duration {
	d, _ := time.ParseDuration(v[key])
	return d
}

// Span reads any duration answer, business time included.
func (v Values) Span(key string) calendar.Span {
	if v[key] == "" {
		return calendar.Span{}
	}
	s, _ := calendar.ParseSpan(v[key])
	return s
}

// Ref reads a ref answer's number ("T-3" → 3).
func (v Values) Ref(key string) int64 {
	_, num, _ := strings.Cut(v[key], "-")
	n, _ := strconv.ParseInt(num, 10, 64)
	return n
}

// Action is one 待办事项 of the minutes.
type Action struct {
	Owner bot.PersonID
	What  string
	Due   time.Time
}

// Actions reads an actions answer ("owner|what|2006-01-02 15:04" lines).
func (v Values) Actions(key string, loc *time.Location) []Action {
	if loc == nil {
		loc = time.UTC
	}
	var out []Action
	for _, l := range lines(v[key]) {
		a, b := strings.Index(l, "|"), strings.LastIndex(l, "|")
		if a < 0 || b <= a {
			continue
		}
		due, err := time.ParseInLocation(TimeLayout, l[b+1:], loc)
		if err != nil {
			continue
		}
		out = append(out, Action{Owner: bot.PersonID(l[:a]), What: l[a+1 : b], Due: due})
	}
	return out
}

// Deliverables reads a deliverables answer ("name|version|quantity|link",
// with "|note|T-1 T-2" after since items have notes and tasks).
func (v Values) Deliverables(key string) []bot.Deliverable {
	var out []bot.Deliverable
	for _, l := range lines(v[key]) {
		p := strings.SplitN(l, "|", 6)
		if len(p) != 4 && len(p) != 6 {
			continue
		}
		q, err := strconv.Atoi(p[2])
		if err != nil {
			continue
		}
		d := bot.Deliverable{Name: p[0], Version: p[1], Quantity: q, Link: p[3]}
		if len(p) == 6 {
			d.Note = p[4]
			for _, t := range strings.Fields(p[5]) {
				if id, err := bot.ParseTaskID(t); err == nil {
					d.Tasks = append(d.Tasks, id)
				}
			}
		}
		out = append(out, d)
	}
	return out
}

// Statuses reads a statuses answer ("T-3|needs_help|note").
func (v Values) Statuses(key string) []bot.StatusChange {
	var out []bot.StatusChange
	for _, l := range lines(v[key]) {
		p := strings.SplitN(l, "|", 3)
		if len(p) != 3 {
			continue
		}
		id, err := bot.ParseTaskID(p[0])
		if err != nil {
			continue
		}
		out = append(out, bot.StatusChange{Task: id, Status: bot.TaskStatus(p[1]), Note: p[2]})
	}
	return out
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

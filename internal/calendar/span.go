package calendar

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Unit says how a Span is counted.
type Unit int

const (
	// Duration is elapsed wall-clock time. It is the zero Unit so that the
	// zero Span is "no delay" and adds nothing.
	Duration Unit = iota
	// BusinessDays counts business days (see Calendar.AddBusinessDays).
	BusinessDays
	// BusinessHours counts working hours (see Calendar.AddBusinessHours).
	BusinessHours
)

func (u Unit) String() string {
	switch u {
	case Duration:
		return "duration"
	case BusinessDays:
		return "business days"
	case BusinessHours:
		return "business hours"
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// Span is a configurable delay such as "3 business days" or "24h". Business
// units are whole numbers in N (D is unused); Duration keeps its length in
// D (N is unused), and calendar days become 24h multiples because a delay
// in days that ignores the business calendar is meant as elapsed time.
type Span struct {
	N    int
	Unit Unit
	D    time.Duration
}

// IsZero reports whether s is the zero Span ("no delay"), so that encoders
// honouring omitempty/IsZero leave it out.
func (s Span) IsZero() bool { return s == Span{} }

const spanExamples = `"1bd", "3 business days", "3个工作日", "2bh", "2 business hours", "24h", "90m", "30 min", "3d"`

type spanUnit struct {
	unit   Unit
	suffix string // time.ParseDuration suffix for Duration; "d" means 24h days
}

// spanUnits maps the words people write in config files to a unit. Keys are
// lower case with single spaces, as ParseSpan normalises its input so.
var spanUnits = func() map[string]spanUnit {
	m := make(map[string]spanUnit)
	for _, g := range []struct {
		u     spanUnit
		words string
	}{
		{spanUnit{BusinessDays, ""}, "bd|business day|business days|workday|workdays|个工作日|工作日"},
		{spanUnit{BusinessHours, ""}, "bh|business hour|business hours|个工作小时|工作小时"},
		{spanUnit{Duration, "d"}, "d|day|days|天|自然日|个自然日"},
		{spanUnit{Duration, "h"}, "h|hr|hrs|hour|hours|小时|个小时"},
		{spanUnit{Duration, "m"}, "m|min|mins|minute|minutes|分钟"},
		{spanUnit{Duration, "s"}, "s|sec|secs|second|seconds|秒"},
	} {
		for _, w := range strings.Split(g.words, "|") {
			m[w] = g.u
		}
	}
	return m
}()

// ParseSpan reads a delay as an operator writes it in a config file:
// "1bd", "3 business days", "3个工作日", "2bh", "2 business hours", Go
// durations such as "24h", "90m" or "1h30m", "30 min", and calendar days
// "3d" / "3 days". Case and spacing do not matter. Zero is allowed ("no
// delay"); negative, fractional business counts and unknown units are not.
func ParseSpan(s string) (Span, error) {
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if in == "" {
		return Span{}, spanError(s, "it is empty")
	}
	if strings.HasPrefix(in, "-") {
		return Span{}, spanError(s, "a delay cannot be negative")
	}
	if d, err := time.ParseDuration(in); err == nil {
		return Span{Unit: Duration, D: d}, nil
	}

	i := strings.IndexFunc(in, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		return Span{}, spanError(s, "it has no unit")
	}
	num, word := in[:i], strings.TrimSpace(in[i:])
	if num == "" {
		return Span{}, spanError(s, "it must start with a number")
	}
	u, ok := spanUnits[word]
	if !ok {
		return Span{}, spanError(s, fmt.Sprintf("unknown unit %q", word))
	}

	if u.unit == Duration && u.suffix != "d" {
		d, err := time.ParseDuration(num + u.suffix)
		if err != nil {
			return Span{}, spanError(s, fmt.Sprintf("%q is not a number of %s", num, word))
		}
		return Span{Unit: Duration, D: d}, nil
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Span{}, spanError(s, fmt.Sprintf("%q is not a whole number of %s", num, word))
	}
	switch {
	case u.unit == Duration: // calendar days
		if int64(n) > math.MaxInt64/int64(24*time.Hour) {
			return Span{}, spanError(s, "it is too long")
		}
		return Span{Unit: Duration, D: time.Duration(n) * 24 * time.Hour}, nil
	case u.unit == BusinessHours && int64(n) > math.MaxInt64/int64(time.Hour):
		return Span{}, spanError(s, "it is too long")
	}
	return Span{N: n, Unit: u.unit}, nil
}

func spanError(in, why string) error {
	return fmt.Errorf("calendar: invalid delay %q: %s; write a number and a unit, e.g. %s", in, why, spanExamples)
}

// String returns the canonical form, which ParseSpan reads back to the same
// Span: "3bd", "2bh", or a Go duration without zero tails ("24h", "1h30m").
func (s Span) String() string {
	switch s.Unit {
	case BusinessDays:
		return strconv.Itoa(s.N) + "bd"
	case BusinessHours:
		return strconv.Itoa(s.N) + "bh"
	case Duration:
		str := s.D.String()
		if t, ok := strings.CutSuffix(str, "m0s"); ok {
			str = t + "m"
		}
		if t, ok := strings.CutSuffix(str, "h0m"); ok {
			str = t + "h"
		}
		return str
	}
	return fmt.Sprintf("Span{N:%d Unit:%v D:%v}", s.N, s.Unit, s.D)
}

// MarshalText encodes s in its canonical form. It refuses spans that
// ParseSpan would refuse, so a config written out can always be read back.
func (s Span) MarshalText() ([]byte, error) {
	switch {
	case s.Unit != Duration && s.Unit != BusinessDays && s.Unit != BusinessHours:
		return nil, fmt.Errorf("calendar: cannot encode span with unknown unit %d", int(s.Unit))
	case s.N < 0 || s.D < 0:
		return nil, errors.New("calendar: cannot encode a negative span " + s.String())
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes any form ParseSpan accepts.
func (s *Span) UnmarshalText(b []byte) error {
	v, err := ParseSpan(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

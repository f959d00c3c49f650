package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/internal/calendar"
)

// The value types below keep the text and line an operator wrote and parse
// it during validation, not while decoding: yaml.v3 aborts the whole decode
// on the first UnmarshalText error and forgets the line, while validation
// can report every bad value with its key, its line and what was written.

// raw is a YAML scalar as written.
type raw struct {
	text string
	line int
}

func (r *raw) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: expected a single value, not a list or a map", n.Line)}}
	}
	r.text, r.line = n.Value, n.Line
	return nil
}

func (r raw) MarshalYAML() (any, error) { return r.text, nil }

// String is the value as written.
func (r raw) String() string { return r.text }

// Line is where the value was written, 0 for a default.
func (r raw) Line() int { return r.line }

// Span is a calendar.Span such as "1bd", "24h" or "3 business days".
type Span struct {
	calendar.Span
	raw
}

func (s *Span) UnmarshalYAML(n *yaml.Node) error { return s.raw.UnmarshalYAML(n) }
func (s Span) MarshalYAML() (any, error)         { return s.raw.MarshalYAML() }
func (s Span) String() string                    { return s.text }

func (s *Span) parse() error {
	sp, err := calendar.ParseSpan(s.text)
	if err != nil {
		// calendar's message already quotes the value and gives examples.
		return errors.New(strings.TrimPrefix(err.Error(), "calendar: "))
	}
	s.Span = sp
	return nil
}

func mustSpan(text string) Span {
	s := Span{raw: raw{text: text}}
	if err := s.parse(); err != nil {
		panic(err)
	}
	return s
}

// Clock is a time of day, "17:00", in the configured time zone.
type Clock struct {
	Hour, Minute int
	raw
}

func (c *Clock) parse() error {
	h, m, err := parseHHMM(c.text)
	if err != nil {
		return err
	}
	c.Hour, c.Minute = h, m
	return nil
}

// Offset is the clock time as a duration since midnight.
func (c Clock) Offset() time.Duration {
	return time.Duration(c.Hour)*time.Hour + time.Duration(c.Minute)*time.Minute
}

// On is the clock time on day's date, in day's location.
func (c Clock) On(day time.Time) time.Time {
	y, mo, d := day.Date()
	return time.Date(y, mo, d, c.Hour, c.Minute, 0, 0, day.Location())
}

func mustClock(text string) Clock {
	c := Clock{raw: raw{text: text}}
	if err := c.parse(); err != nil {
		panic(err)
	}
	return c
}

func parseHHMM(s string) (h, m int, err error) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	if ok {
		h, err = strconv.Atoi(hs)
		if err == nil {
			m, err = strconv.Atoi(ms)
		}
	}
	if !ok || err != nil || len(ms) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, fmt.Errorf("%q is not a time of day like 17:00", s)
	}
	return h, m, nil
}

// Weekday is a day of the week written in English or Chinese ("mon",
// "Monday", "周一", "星期一").
type Weekday struct {
	Day time.Weekday
	raw
}

var weekdayNames = map[string]time.Weekday{}

func init() {
	names := [7][]string{
		{"sun", "sunday", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天"},
		{"mon", "monday", "周一", "星期一", "礼拜一"},
		{"tue", "tues", "tuesday", "周二", "星期二", "礼拜二"},
		{"wed", "wednesday", "周三", "星期三", "礼拜三"},
		{"thu", "thur", "thurs", "thursday", "周四", "星期四", "礼拜四"},
		{"fri", "friday", "周五", "星期五", "礼拜五"},
		{"sat", "saturday", "周六", "星期六", "礼拜六"},
	}
	for d, ns := range names {
		for _, n := range ns {
			weekdayNames[n] = time.Weekday(d)
		}
	}
}

func (w *Weekday) parse() error {
	d, ok := weekdayNames[strings.ToLower(strings.TrimSpace(w.text))]
	if !ok {
		return fmt.Errorf("%q is not a day of the week like mon or 周一", w.text)
	}
	w.Day = d
	return nil
}

func weekdays(days ...time.Weekday) []Weekday {
	out := make([]Weekday, len(days))
	for i, d := range days {
		out[i] = Weekday{Day: d, raw: raw{text: strings.ToLower(d.String()[:3])}}
	}
	return out
}

// WorkHours is the working day, "09:00-18:00"; business hours count only
// time inside it.
type WorkHours struct {
	Start, End time.Duration // since midnight
	raw
}

func (w *WorkHours) parse() error {
	s := strings.NewReplacer("–", "-", "~", "-", "～", "-", "至", "-").Replace(w.text)
	from, to, ok := strings.Cut(s, "-")
	bad := fmt.Errorf("%q is not a working day like 09:00-18:00", w.text)
	if !ok {
		return bad
	}
	h1, m1, err1 := parseHHMM(from)
	h2, m2, err2 := parseHHMM(to)
	if err := errors.Join(err1, err2); err != nil {
		return bad
	}
	start := time.Duration(h1)*time.Hour + time.Duration(m1)*time.Minute
	end := time.Duration(h2)*time.Hour + time.Duration(m2)*time.Minute
	if end <= start {
		return fmt.Errorf("%q ends before it starts", w.text)
	}
	w.Start, w.End = start, end
	return nil
}

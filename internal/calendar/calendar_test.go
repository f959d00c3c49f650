package calendar_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/calendar"
)

// china2026 is the State Council arrangement for 2026
// (/work/shared/docs/holidays-cn-2026.md): inclusive ranges of days off and
// the make-up working days (调休上班).
var china2026 = struct {
	holidays []struct{ from, to, name string }
	makeup   []string
}{
	holidays: []struct{ from, to, name string }{
		{"2026-01-01", "2026-01-03", "元旦 New Year"},
		{"2026-02-15", "2026-02-23", "春节 Spring Festival"},
		{"2026-04-04", "2026-04-06", "清明节 Qingming"},
		{"2026-05-01", "2026-05-05", "劳动节 Labour Day"},
		{"2026-06-19", "2026-06-21", "端午节 Dragon Boat"},
		{"2026-09-25", "2026-09-27", "中秋节 Mid-Autumn"},
		{"2026-10-01", "2026-10-07", "国庆节 National Day"},
	},
	makeup: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
}

func chinaOptions(t testing.TB) calendar.Options {
	t.Helper()
	var o calendar.Options
	for _, h := range china2026.holidays {
		from, _ := time.Parse(time.DateOnly, h.from)
		to, _ := time.Parse(time.DateOnly, h.to)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			o.Holidays = append(o.Holidays, calendar.Day{Date: d.Format(time.DateOnly), Name: h.name})
		}
	}
	for _, m := range china2026.makeup {
		o.Makeup = append(o.Makeup, calendar.Day{Date: m, Name: "调休上班 make-up working day"})
	}
	o.Years = []int{2026}
	o.Logger = slog.New(slog.DiscardHandler)
	return o
}

func newChina(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(chinaOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// sh parses "2006-01-02 15:04" in Asia/Shanghai.
func sh(s string) time.Time { return in(shanghai, s) }

func in(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// logBuffer returns a logger writing to a buffer that is safe to read after
// concurrent use (slog handlers serialise their writes).
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

func TestNewDefaults(t *testing.T) {
	c, err := calendar.New(calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Location().String(); got != "Asia/Shanghai" {
		t.Errorf("Location() = %q, want Asia/Shanghai", got)
	}
	// Monday 2026-11-23 08:00 + 1 business hour starts at the default 09:00.
	if got, want := c.AddBusinessHours(sh("2026-11-23 08:00"), time.Hour), sh("2026-11-23 10:00"); !got.Equal(want) {
		t.Errorf("default WorkStart: got %v, want %v", got, want)
	}
	// ... and ends at the default 18:00.
	if got, want := c.AddBusinessHours(sh("2026-11-23 17:00"), 2*time.Hour), sh("2026-11-24 10:00"); !got.Equal(want) {
		t.Errorf("default WorkEnd: got %v, want %v", got, want)
	}
	// Default week is Monday to Friday, with no holidays.
	for day, want := range map[string]bool{"2026-11-21": false, "2026-11-22": false, "2026-11-23": true, "2026-10-01": true} {
		if got := c.IsBusinessDay(sh(day + " 12:00")); got != want {
			t.Errorf("IsBusinessDay(%s) = %v, want %v", day, got, want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		o    calendar.Options
		want string // substring of the error
	}{
		{"bad date", calendar.Options{Holidays: []calendar.Day{{Date: "2026-02-30", Name: "x"}}}, `holiday "2026-02-30"`},
		{"wrong format", calendar.Options{Holidays: []calendar.Day{{Date: "2026/10/01"}}}, `holiday "2026/10/01"`},
		{"short format", calendar.Options{Makeup: []calendar.Day{{Date: "2026-1-4"}}}, `make-up day "2026-1-4"`},
		{"empty date", calendar.Options{Makeup: []calendar.Day{{Date: ""}}}, `make-up day ""`},
		{"holiday and makeup", calendar.Options{
			Holidays: []calendar.Day{{Date: "2026-10-01", Name: "国庆节"}},
			Makeup:   []calendar.Day{{Date: "2026-10-01", Name: "调休"}},
		}, "2026-10-01 is both a holiday (国庆节) and a make-up working day (调休)"},
		{"end before start", calendar.Options{WorkStart: 18 * time.Hour, WorkEnd: 9 * time.Hour}, "WorkEnd must be after WorkStart"},
		{"end equals start", calendar.Options{WorkStart: 10 * time.Hour, WorkEnd: 10 * time.Hour}, "WorkEnd must be after WorkStart"},
		{"end before default start", calendar.Options{WorkEnd: 8 * time.Hour}, "WorkEnd must be after WorkStart"},
		{"end past midnight", calendar.Options{WorkEnd: 25 * time.Hour}, "within one day"},
		{"negative start", calendar.Options{WorkStart: -time.Hour}, "within one day"},
		{"empty workdays", calendar.Options{Workdays: []time.Weekday{}}, "Workdays is empty"},
		{"bad weekday", calendar.Options{Workdays: []time.Weekday{7}}, "workday 7 is not a weekday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := calendar.New(tt.o)
			if err == nil {
				t.Fatalf("New succeeded (%v), want error containing %q", c, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "calendar: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q and %q", err, "calendar: ", tt.want)
			}
		})
	}

	t.Run("all problems reported at once", func(t *testing.T) {
		_, err := calendar.New(calendar.Options{
			Holidays: []calendar.Day{{Date: "bad-1"}, {Date: "bad-2"}},
			WorkEnd:  time.Hour,
		})
		for _, want := range []string{"bad-1", "bad-2", "WorkEnd"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error = %v, want it to mention %q", err, want)
			}
		}
	})
}

func TestIsBusinessDayChina2026(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		at   time.Time
		want bool
	}{
		{sh("2026-01-01 12:00"), false}, // New Year
		{sh("2026-01-03 12:00"), false}, // Saturday and holiday
		{sh("2026-01-04 12:00"), true},  // Sunday, make-up day
		{sh("2026-02-14 12:00"), true},  // Saturday, make-up day
		{sh("2026-02-16 12:00"), false}, // Monday in Spring Festival
		{sh("2026-02-23 12:00"), false}, // last day of Spring Festival
		{sh("2026-02-24 12:00"), true},
		{sh("2026-02-28 12:00"), true}, // Saturday, make-up day
		{sh("2026-05-09 12:00"), true}, // Saturday, make-up day
		{sh("2026-09-20 12:00"), true}, // Sunday, make-up day
		{sh("2026-10-07 12:00"), false},
		{sh("2026-10-10 12:00"), true},  // Saturday, make-up day
		{sh("2026-11-21 12:00"), false}, // ordinary Saturday
		{sh("2026-11-22 12:00"), false}, // ordinary Sunday
		{sh("2026-11-23 00:00"), true},  // ordinary Monday, first instant
		{sh("2026-11-23 23:59"), true},  // outside work hours still counts: it is a date question
		// Judged in Shanghai, whatever the zone of the argument:
		{time.Date(2026, 2, 15, 16, 30, 0, 0, time.UTC), false}, // = Mon 02-16 00:30 CST
		{time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC), false}, // = Sat 11-21 01:00 CST
		{time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC), true},  // = Mon 11-23 00:00 CST
	}
	for _, tt := range tests {
		if got := c.IsBusinessDay(tt.at); got != tt.want {
			t.Errorf("IsBusinessDay(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

func TestHolidayName(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		at     time.Time
		name   string
		wantOK bool
	}{
		{sh("2026-10-01 00:00"), "国庆节 National Day", true},
		{sh("2026-10-07 23:59"), "国庆节 National Day", true},
		{sh("2026-02-18 09:00"), "春节 Spring Festival", true},
		{sh("2026-10-10 09:00"), "", false}, // make-up day is not a holiday
		{sh("2026-11-21 09:00"), "", false}, // weekend is not a holiday
		{sh("2026-11-23 09:00"), "", false},
		{time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC), "国庆节 National Day", true}, // = 10-01 00:00 CST
	}
	for _, tt := range tests {
		name, ok := c.HolidayName(tt.at)
		if name != tt.name || ok != tt.wantOK {
			t.Errorf("HolidayName(%v) = %q, %v; want %q, %v", tt.at, name, ok, tt.name, tt.wantOK)
		}
	}

	t.Run("first name wins for a duplicated date", func(t *testing.T) {
		c, err := calendar.New(calendar.Options{Holidays: []calendar.Day{{"2026-10-01", "a"}, {"2026-10-01", "b"}}})
		if err != nil {
			t.Fatal(err)
		}
		if name, _ := c.HolidayName(sh("2026-10-01 10:00")); name != "a" {
			t.Errorf("name = %q, want a", name)
		}
	})
}

func TestAddBusinessDays(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"friday to monday", sh("2026-11-20 16:00"), 1, sh("2026-11-23 16:00")},
		{"over national day", sh("2026-09-30 10:00"), 1, sh("2026-10-08 10:00")},
		{"onto saturday make-up day", sh("2026-10-09 10:00"), 1, sh("2026-10-10 10:00")},
		{"friday onto make-up saturday", sh("2026-02-13 10:00"), 1, sh("2026-02-14 10:00")},
		{"over spring festival", sh("2026-02-13 10:00"), 2, sh("2026-02-24 10:00")},
		{"from make-up sunday", sh("2026-01-04 11:00"), 1, sh("2026-01-05 11:00")},
		{"a working week", sh("2026-11-23 10:00"), 5, sh("2026-11-30 10:00")},
		{"after hours keeps the clock time", sh("2026-11-20 22:00"), 1, sh("2026-11-23 22:00")},
		{"before hours keeps the clock time", sh("2026-11-20 07:00"), 1, sh("2026-11-23 07:00")},
		{"from saturday: start monday 09:00, then count", sh("2026-11-21 15:00"), 1, sh("2026-11-24 09:00")},
		{"from a holiday", sh("2026-10-03 10:00"), 1, sh("2026-10-09 09:00")},
		{"zero on a business day is unchanged", sh("2026-11-20 16:00"), 0, sh("2026-11-20 16:00")},
		{"zero on a weekend moves to the start", sh("2026-11-21 15:00"), 0, sh("2026-11-23 09:00")},
		{"zero on a holiday moves to the start", sh("2026-10-01 15:00"), 0, sh("2026-10-08 09:00")},
		{"back one from monday", sh("2026-11-23 10:00"), -1, sh("2026-11-20 10:00")},
		{"back over national day", sh("2026-10-08 10:00"), -1, sh("2026-09-30 10:00")},
		{"back from sunday", sh("2026-11-22 10:00"), -1, sh("2026-11-20 10:00")},
		{"back onto make-up day", sh("2026-10-12 10:00"), -1, sh("2026-10-10 10:00")},
		{"into 2027 (weekends only)", sh("2026-12-31 10:00"), 1, sh("2027-01-01 10:00")},
		{"input in UTC, answer in shanghai", time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), 1, sh("2026-11-23 16:00")},
		{"UTC friday is shanghai saturday", time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC), 1, sh("2026-11-24 09:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddBusinessDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddBusinessDays(%v, %d) = %v, want %v", tt.from, tt.n, got, tt.want)
			}
			if tt.n != 0 && got.Location() != c.Location() {
				t.Errorf("result location = %v, want %v", got.Location(), c.Location())
			}
		})
	}
}

func TestAddBusinessDaysComposes(t *testing.T) {
	c := newChina(t)
	for start := sh("2026-09-15 07:30"); start.Before(sh("2026-10-20 00:00")); start = start.Add(5 * time.Hour) {
		for n := 0; n <= 6; n++ {
			direct := c.AddBusinessDays(start, n)
			via := c.AddBusinessDays(c.AddBusinessDays(start, 0), n)
			if !direct.Equal(via) {
				t.Fatalf("AddBusinessDays(%v, %d) = %v, but from the 0-normalised start = %v", start, n, direct, via)
			}
			if n > 0 && !c.IsBusinessDay(direct) {
				t.Fatalf("AddBusinessDays(%v, %d) = %v is not a business day", start, n, direct)
			}
		}
	}
}

func TestAddBusinessHours(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"within the day", sh("2026-11-23 10:00"), 2 * time.Hour, sh("2026-11-23 12:00")},
		{"over the evening", sh("2026-11-23 17:00"), 2 * time.Hour, sh("2026-11-24 10:00")},
		{"over the weekend", sh("2026-11-20 17:00"), 2 * time.Hour, sh("2026-11-23 10:00")},
		{"from saturday", sh("2026-11-21 10:00"), 2 * time.Hour, sh("2026-11-23 11:00")},
		{"before opening", sh("2026-11-23 07:00"), 2 * time.Hour, sh("2026-11-23 11:00")},
		{"after closing", sh("2026-11-23 20:00"), 2 * time.Hour, sh("2026-11-24 11:00")},
		{"exactly a day ends at closing", sh("2026-11-23 09:00"), 9 * time.Hour, sh("2026-11-23 18:00")},
		{"one minute more", sh("2026-11-23 09:00"), 9*time.Hour + time.Minute, sh("2026-11-24 09:01")},
		{"a working week", sh("2026-11-23 09:00"), 45 * time.Hour, sh("2026-11-27 18:00")},
		{"over national day", sh("2026-09-30 17:00"), 2 * time.Hour, sh("2026-10-08 10:00")},
		{"onto make-up saturday", sh("2026-10-09 17:30"), time.Hour, sh("2026-10-10 09:30")},
		{"from a holiday", sh("2026-10-05 12:00"), 30 * time.Minute, sh("2026-10-08 09:30")},
		{"into 2027", sh("2026-12-31 17:00"), 2 * time.Hour, sh("2027-01-01 10:00")},
		{"zero is unchanged", sh("2026-11-21 10:00"), 0, sh("2026-11-21 10:00")},
		{"back within the day", sh("2026-11-23 12:00"), -2 * time.Hour, sh("2026-11-23 10:00")},
		{"back over the weekend", sh("2026-11-23 10:00"), -2 * time.Hour, sh("2026-11-20 17:00")},
		{"back from opening", sh("2026-11-23 09:00"), -time.Hour, sh("2026-11-20 17:00")},
		{"back lands on opening", sh("2026-11-24 08:00"), -9 * time.Hour, sh("2026-11-23 09:00")},
		{"back over national day", sh("2026-10-08 10:00"), -2 * time.Hour, sh("2026-09-30 17:00")},
		{"input in UTC", time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), time.Hour, sh("2026-11-23 11:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.AddBusinessHours(tt.from, tt.d); !got.Equal(tt.want) {
				t.Errorf("AddBusinessHours(%v, %v) = %v, want %v", tt.from, tt.d, got, tt.want)
			}
		})
	}
}

func TestNextBusinessDayAt(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		name  string
		from  time.Time
		clock time.Duration
		want  time.Time
	}{
		{"later today", sh("2026-11-20 16:00"), 17 * time.Hour, sh("2026-11-20 17:00")},
		{"strictly after", sh("2026-11-20 17:00"), 17 * time.Hour, sh("2026-11-23 17:00")},
		{"one nanosecond before", sh("2026-11-20 17:00").Add(-1), 17 * time.Hour, sh("2026-11-20 17:00")},
		{"after today's", sh("2026-11-20 18:00"), 17 * time.Hour, sh("2026-11-23 17:00")},
		{"from a weekend", sh("2026-11-21 08:00"), 9 * time.Hour, sh("2026-11-23 09:00")},
		{"over national day", sh("2026-09-30 18:00"), 17 * time.Hour, sh("2026-10-08 17:00")},
		{"on a make-up saturday", sh("2026-10-10 08:00"), 9 * time.Hour, sh("2026-10-10 09:00")},
		{"midnight", sh("2026-11-20 16:00"), 0, sh("2026-11-23 00:00")},
		{"minutes", sh("2026-11-23 09:00"), 9*time.Hour + 30*time.Minute, sh("2026-11-23 09:30")},
		{"clock past 24h wraps", sh("2026-11-23 09:00"), 25 * time.Hour, sh("2026-11-24 01:00")},
		{"negative clock wraps", sh("2026-11-23 09:00"), -time.Hour, sh("2026-11-23 23:00")},
		{"into 2027", sh("2026-12-31 18:00"), 17 * time.Hour, sh("2027-01-01 17:00")},
		{"UTC input", time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), 17 * time.Hour, sh("2026-11-23 17:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextBusinessDayAt(tt.from, tt.clock); !got.Equal(tt.want) {
				t.Errorf("NextBusinessDayAt(%v, %v) = %v, want %v", tt.from, tt.clock, got, tt.want)
			}
		})
	}
}

func TestBusinessHoursBetween(t *testing.T) {
	c := newChina(t)
	tests := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"a working day", sh("2026-11-23 09:00"), sh("2026-11-23 18:00"), 9 * time.Hour},
		{"a whole date", sh("2026-11-23 00:00"), sh("2026-11-24 00:00"), 9 * time.Hour},
		{"part of a day", sh("2026-11-23 10:15"), sh("2026-11-23 11:00"), 45 * time.Minute},
		{"over the weekend", sh("2026-11-20 17:00"), sh("2026-11-23 10:00"), 2 * time.Hour},
		{"a week", sh("2026-11-23 00:00"), sh("2026-11-30 00:00"), 45 * time.Hour},
		{"weekend only", sh("2026-11-21 00:00"), sh("2026-11-23 00:00"), 0},
		{"evening only", sh("2026-11-23 18:00"), sh("2026-11-24 09:00"), 0},
		{"over national day", sh("2026-09-30 00:00"), sh("2026-10-09 00:00"), 18 * time.Hour},
		{"make-up saturday counts", sh("2026-10-10 00:00"), sh("2026-10-11 00:00"), 9 * time.Hour},
		{"equal", sh("2026-11-23 10:00"), sh("2026-11-23 10:00"), 0},
		{"reversed", sh("2026-11-23 12:00"), sh("2026-11-23 10:00"), 0},
		{"zones of the arguments do not matter", time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), sh("2026-11-23 12:00"), 3 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.BusinessHoursBetween(tt.a, tt.b); got != tt.want {
				t.Errorf("BusinessHoursBetween(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// Adding business hours and measuring them back must agree wherever we start.
func TestBusinessHoursRoundTrip(t *testing.T) {
	c := newChina(t)
	for start := sh("2026-09-28 06:45"); start.Before(sh("2026-10-14 00:00")); start = start.Add(97 * time.Minute) {
		for _, d := range []time.Duration{time.Minute, 2 * time.Hour, 9 * time.Hour, 30 * time.Hour} {
			end := c.AddBusinessHours(start, d)
			if got := c.BusinessHoursBetween(start, end); got != d {
				t.Fatalf("BusinessHoursBetween(%v, AddBusinessHours(.., %v) = %v) = %v", start, d, end, got)
			}
			if back := c.AddBusinessHours(end, -d); c.BusinessHoursBetween(back, end) != d {
				t.Fatalf("AddBusinessHours(%v, -%v) = %v does not span %v", end, d, back, d)
			}
		}
	}
}

func TestAdd(t *testing.T) {
	c := newChina(t)
	from := sh("2026-09-30 17:00")
	tests := []struct {
		span string
		want time.Time
	}{
		{"1bd", sh("2026-10-08 17:00")},
		{"3个工作日", sh("2026-10-10 17:00")},
		{"2 business hours", sh("2026-10-08 10:00")},
		{"24h", sh("2026-10-01 17:00")},
		{"3d", sh("2026-10-03 17:00")},
		{"90m", sh("2026-09-30 18:30")},
		{"0s", from},
	}
	for _, tt := range tests {
		s, err := calendar.ParseSpan(tt.span)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Add(from, s); !got.Equal(tt.want) {
			t.Errorf("Add(%v, %q) = %v, want %v", from, tt.span, got, tt.want)
		}
	}
	if got := c.Add(from, calendar.Span{}); !got.Equal(from) {
		t.Errorf("Add(zero Span) = %v, want %v", got, from)
	}
	if got := c.Add(from, calendar.Span{N: -1, Unit: calendar.BusinessDays}); !got.Equal(sh("2026-09-29 17:00")) {
		t.Errorf("Add(-1bd) = %v", got)
	}

	logger, buf := logBuffer()
	o := chinaOptions(t)
	o.Logger = logger
	c2, _ := calendar.New(o)
	if got := c2.Add(from, calendar.Span{N: 1, Unit: 42}); !got.Equal(from) {
		t.Errorf("Add(unknown unit) = %v, want unchanged", got)
	}
	if !strings.Contains(buf.String(), "unknown span unit") {
		t.Errorf("unknown unit not logged: %q", buf)
	}
}

func TestOtherLocations(t *testing.T) {
	ny := mustLoad("America/New_York")
	c, err := calendar.New(calendar.Options{Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	if c.Location() != ny {
		t.Fatalf("Location() = %v", c.Location())
	}
	nyt := func(s string) time.Time { return in(ny, s) }
	// US DST 2026 starts Sunday March 8 and ends Sunday November 1.
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"friday to monday", c.AddBusinessDays(nyt("2026-11-20 16:00"), 1), nyt("2026-11-23 16:00")},
		{"over spring-forward keeps 10:00", c.AddBusinessDays(nyt("2026-03-06 10:00"), 1), nyt("2026-03-09 10:00")},
		{"over fall-back keeps 10:00", c.AddBusinessDays(nyt("2026-10-30 10:00"), 1), nyt("2026-11-02 10:00")},
		{"hours over spring-forward", c.AddBusinessHours(nyt("2026-03-06 17:00"), 2*time.Hour), nyt("2026-03-09 10:00")},
		{"next 17:00 over DST", c.NextBusinessDayAt(nyt("2026-10-30 18:00"), 17*time.Hour), nyt("2026-11-02 17:00")},
		// 22:00 Friday in New York is already Saturday in Shanghai: New York's
		// calendar must still call it Friday.
		{"shanghai instant judged in new york", c.AddBusinessDays(sh("2026-11-21 11:00"), 1), nyt("2026-11-23 22:00")},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !c.IsBusinessDay(sh("2026-11-21 11:00")) {
		t.Error("Sat 11:00 Shanghai = Fri 22:00 New York should be a business day in New York")
	}
	if got := c.BusinessHoursBetween(nyt("2026-03-06 00:00"), nyt("2026-03-10 00:00")); got != 18*time.Hour {
		t.Errorf("BusinessHoursBetween over DST = %v, want 18h", got)
	}

	// A DST-free fixed zone equal to Shanghai's offset gives Shanghai's answers.
	o := chinaOptions(t)
	o.Location = time.FixedZone("UTC+8", 8*60*60)
	fixed, err := calendar.New(o)
	if err != nil {
		t.Fatal(err)
	}
	china := newChina(t)
	for at := sh("2026-09-28 00:00"); at.Before(sh("2026-10-15 00:00")); at = at.Add(3 * time.Hour) {
		if a, b := fixed.AddBusinessDays(at, 2), china.AddBusinessDays(at, 2); !a.Equal(b) {
			t.Fatalf("fixed UTC+8 vs Asia/Shanghai at %v: %v != %v", at, a, b)
		}
		if a, b := fixed.AddBusinessHours(at, 5*time.Hour), china.AddBusinessHours(at, 5*time.Hour); !a.Equal(b) {
			t.Fatalf("fixed UTC+8 vs Asia/Shanghai hours at %v: %v != %v", at, a, b)
		}
	}
}

func TestCustomWeekAndHours(t *testing.T) {
	// A Sunday-to-Thursday week, 08:30–12:30.
	c, err := calendar.New(calendar.Options{
		Workdays:  []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday},
		WorkStart: 8*time.Hour + 30*time.Minute,
		WorkEnd:   12*time.Hour + 30*time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.AddBusinessDays(sh("2026-11-19 10:00"), 1), sh("2026-11-22 10:00"); !got.Equal(want) {
		t.Errorf("Thursday + 1bd = %v, want Sunday %v", got, want)
	}
	if got, want := c.AddBusinessDays(sh("2026-11-20 10:00"), 0), sh("2026-11-22 08:30"); !got.Equal(want) {
		t.Errorf("Friday + 0bd = %v, want %v", got, want)
	}
	if got, want := c.AddBusinessHours(sh("2026-11-19 12:00"), time.Hour), sh("2026-11-22 09:00"); !got.Equal(want) {
		t.Errorf("Thursday 12:00 + 1bh = %v, want %v", got, want)
	}
}

func TestMissingYearWarnsOnce(t *testing.T) {
	logger, buf := logBuffer()
	o := chinaOptions(t)
	o.Logger = logger
	c, err := calendar.New(o)
	if err != nil {
		t.Fatal(err)
	}

	// Inside 2026 only: no warning.
	c.AddBusinessDays(sh("2026-11-20 16:00"), 5)
	c.IsBusinessDay(sh("2026-12-31 10:00"))
	if buf.Len() != 0 {
		t.Fatalf("unexpected log for a configured year: %s", buf)
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			c.AddBusinessDays(sh("2026-12-31 10:00"), 1)
			c.AddBusinessHours(sh("2026-12-31 17:00"), 3*time.Hour)
			c.NextBusinessDayAt(sh("2026-12-31 18:00"), 17*time.Hour)
			c.BusinessHoursBetween(sh("2026-12-30 00:00"), sh("2027-01-05 00:00"))
			c.IsBusinessDay(sh("2027-01-01 10:00"))
			c.HolidayName(sh("2027-01-01 10:00"))
		})
	}
	wg.Wait()
	out := buf.String()
	if n := strings.Count(out, "year=2027"); n != 1 {
		t.Fatalf("2027 warning logged %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"level=WARN", "public holidays for this year are not configured", "only weekends are skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("warning %q lacks %q", out, want)
		}
	}

	// Crossing a whole unconfigured year warns about each year crossed, once.
	c.AddBusinessDays(sh("2026-12-31 10:00"), 600) // lands in 2029
	c.AddBusinessDays(sh("2026-12-31 10:00"), 600)
	out = buf.String()
	for _, y := range []int{2027, 2028, 2029} {
		if n := strings.Count(out, fmt.Sprintf("year=%d", y)); n != 1 {
			t.Errorf("year %d warned %d times, want once:\n%s", y, n, out)
		}
	}
	// Starting in an unconfigured year counts too (going back into 2025).
	c.AddBusinessDays(sh("2026-01-05 10:00"), -3)
	if n := strings.Count(buf.String(), "year=2025"); n != 1 {
		t.Errorf("year 2025 warned %d times, want once", n)
	}

	// A second Calendar keeps its own record.
	c2, _ := calendar.New(o)
	c2.AddBusinessDays(sh("2026-12-31 10:00"), 1)
	if n := strings.Count(buf.String(), "year=2027"); n != 2 {
		t.Errorf("second calendar: 2027 warned %d times in total, want 2", n)
	}
}

func TestNoYearsConfiguredNoWarning(t *testing.T) {
	logger, buf := logBuffer()
	c, err := calendar.New(calendar.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	c.AddBusinessDays(sh("2026-12-31 10:00"), 300)
	c.AddBusinessHours(sh("2030-12-31 10:00"), 100*time.Hour)
	if buf.Len() != 0 {
		t.Errorf("unexpected log with no Years configured: %s", buf)
	}
}

func TestWalksAreBounded(t *testing.T) {
	logger, buf := logBuffer()
	// Sunday is the only workday and every Sunday of 2026 is a holiday: the
	// calendar is legal but sparse, and huge inputs must still return.
	o := calendar.Options{Workdays: []time.Weekday{time.Sunday}, Logger: logger}
	for d := sh("2026-01-04 00:00"); d.Year() == 2026; d = d.AddDate(0, 0, 7) {
		o.Holidays = append(o.Holidays, calendar.Day{Date: d.Format(time.DateOnly), Name: "rest"})
	}
	c, err := calendar.New(o)
	if err != nil {
		t.Fatal(err)
	}
	from := sh("2026-01-05 10:00")
	limit := from.AddDate(11, 0, 0)

	tests := []struct {
		name string
		got  time.Time
	}{
		{"AddBusinessDays", c.AddBusinessDays(from, 1_000_000)},
		{"AddBusinessDays back", c.AddBusinessDays(from, -1_000_000)},
		{"AddBusinessDays max", c.AddBusinessDays(from, math.MaxInt)},
		{"AddBusinessDays min", c.AddBusinessDays(from, math.MinInt)},
		{"AddBusinessHours", c.AddBusinessHours(from, 1<<62)},
		{"AddBusinessHours back", c.AddBusinessHours(from, -1<<63)},
		{"Add", c.Add(from, calendar.Span{N: 1 << 60, Unit: calendar.BusinessHours})},
	}
	for _, tt := range tests {
		if tt.got.After(limit) || tt.got.Before(from.AddDate(-11, 0, 0)) {
			t.Errorf("%s walked to %v, beyond the bound", tt.name, tt.got)
		}
	}
	if got := c.BusinessHoursBetween(from, from.AddDate(50, 0, 0)); got <= 0 || got > 11*53*9*time.Hour {
		t.Errorf("BusinessHoursBetween over 50 years = %v", got)
	}
	if !strings.Contains(buf.String(), "stopped after walking") {
		t.Errorf("bound not logged: %s", buf)
	}
	if !c.IsBusinessDay(c.NextBusinessDayAt(from, 9*time.Hour)) {
		t.Error("NextBusinessDayAt did not find a Sunday in 2027")
	}
}

func TestConcurrentUse(t *testing.T) {
	logger, _ := logBuffer()
	o := chinaOptions(t)
	o.Logger = logger
	o.Years = []int{2026}
	c, _ := calendar.New(o)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			at := sh("2026-12-20 10:00").Add(time.Duration(i) * 7 * time.Hour)
			for n := range 30 {
				c.AddBusinessDays(at, n)
				c.AddBusinessHours(at, time.Duration(n)*time.Hour)
				c.NextBusinessDayAt(at, 17*time.Hour)
				c.BusinessHoursBetween(at, at.AddDate(0, 0, n))
				c.IsBusinessDay(at.AddDate(0, 0, n))
				c.HolidayName(at.AddDate(0, 0, n))
			}
		})
	}
	wg.Wait()
}

func BenchmarkAddBusinessDays(b *testing.B) {
	c := newChina(b)
	from := sh("2026-09-21 10:00")
	for b.Loop() {
		c.AddBusinessDays(from, 20)
	}
}

func TestWorkingFrom(t *testing.T) {
	c := newChina(t)
	tests := []struct{ at, want string }{
		{"2026-11-23 10:00", "2026-11-23 10:00"}, // Monday, at work
		{"2026-11-23 18:00", "2026-11-23 18:00"}, // the end is still at work
		{"2026-11-23 18:01", "2026-11-24 09:00"},
		{"2026-11-24 02:03", "2026-11-24 09:00"},
		{"2026-11-27 22:00", "2026-11-30 09:00"}, // Friday night: Monday
		{"2026-09-30 22:00", "2026-10-08 09:00"}, // before National Day: after it
		{"2026-10-10 08:00", "2026-10-10 09:00"}, // 调休 Saturday is a working day
	}
	for _, tt := range tests {
		if got := c.WorkingFrom(sh(tt.at)).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("WorkingFrom(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestUncovered(t *testing.T) {
	c := newChina(t)
	if got := c.Uncovered(sh("2026-10-01 10:00"), 60); len(got) != 0 {
		t.Errorf("October 2026 + 60 days: %v", got)
	}
	if got := c.Uncovered(sh("2026-11-20 10:00"), 60); len(got) != 1 || got[0] != 2027 {
		t.Errorf("November 2026 + 60 days: %v, want [2027]", got)
	}
	weekendsOnly, err := calendar.New(calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := weekendsOnly.Uncovered(sh("2026-12-20 10:00"), 60); got != nil {
		t.Errorf("a calendar without holiday files: %v", got)
	}
}

func TestWorkingUntil(t *testing.T) {
	c := newChina(t)
	tests := []struct{ at, want string }{
		{"2026-11-23 10:00", "2026-11-23 10:00"},
		{"2026-11-23 08:00", "2026-11-20 18:00"}, // Monday before work: Friday's end
		{"2026-11-29 09:00", "2026-11-27 18:00"}, // Sunday: Friday's end
		{"2026-11-24 20:00", "2026-11-24 18:00"},
		{"2026-10-08 08:00", "2026-09-30 18:00"}, // before National Day ends: the last working day before it
	}
	for _, tt := range tests {
		if got := c.WorkingUntil(sh(tt.at)).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("WorkingUntil(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

// Package calendar answers business-time questions — is this a working day,
// when is "three business days from now" — for one configured time zone,
// working week, public holidays and make-up working days (调休).
//
// Every judgement about a date is made on the calendar date in the
// Calendar's location, never in the location of the time.Time passed in: a
// server running in UTC must agree with what people in the office see on
// their wall calendar. Results are returned in the Calendar's location.
//
// A Calendar never changes after New except for its record of the years it
// has already warned about, which is guarded, so one Calendar can be shared
// by every goroutine.
package calendar

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
	_ "time/tzdata" // the default Asia/Shanghai must load even on hosts without zoneinfo
)

// maxWalk bounds every day-by-day walk. Ten years is far beyond any
// collaboration deadline, so reaching it means a misconfiguration or a
// nonsensical input; a prompt answer and a log line beat a hung scheduler tick.
const maxWalk = 3660

// Day is one calendar date with a label, e.g.
// {Date: "2026-10-01", Name: "国庆节 National Day"}.
type Day struct {
	Date string // YYYY-MM-DD
	Name string
}

// Options configures a Calendar. The zero Options is a Monday–Friday,
// 09:00–18:00 week in Asia/Shanghai with no holidays and no year warnings.
type Options struct {
	Location  *time.Location // nil = Asia/Shanghai
	Workdays  []time.Weekday // nil = Monday..Friday; empty but non-nil is an error
	WorkStart time.Duration  // wall-clock offset from midnight; 0 = 9h
	WorkEnd   time.Duration  // 0 = 18h; must be > WorkStart and <= 24h
	Holidays  []Day          // days off even if they fall on a workday
	Makeup    []Day          // working days even if they fall on a weekend (调休上班)
	Years     []int          // years with a loaded calendar file; other years warn once (none listed: never)
	Logger    *slog.Logger   // nil = slog.Default() at the time of logging
}

// Calendar does business-time arithmetic. Create it with New.
type Calendar struct {
	loc        *time.Location
	workdays   [7]bool
	start, end time.Duration
	holidays   map[date]string
	makeup     map[date]struct{}
	years      map[int]bool
	logger     *slog.Logger

	mu     sync.Mutex
	warned map[int]bool
}

// New validates o and builds a Calendar. It reports every problem it finds
// at once (joined), so an operator fixes a calendar file in one pass.
func New(o Options) (*Calendar, error) {
	c := &Calendar{
		loc:      o.Location,
		start:    o.WorkStart,
		end:      o.WorkEnd,
		holidays: make(map[date]string, len(o.Holidays)),
		makeup:   make(map[date]struct{}, len(o.Makeup)),
		years:    make(map[int]bool, len(o.Years)),
		logger:   o.Logger,
		warned:   make(map[int]bool),
	}
	if c.loc == nil {
		c.loc = defaultLocation()
	}
	if c.start == 0 {
		c.start = 9 * time.Hour
	}
	if c.end == 0 {
		c.end = 18 * time.Hour
	}

	var errs []error
	if c.start < 0 || c.end > 24*time.Hour || c.end <= c.start {
		errs = append(errs, fmt.Errorf("calendar: working hours %v to %v: WorkEnd must be after WorkStart and both within one day", c.start, c.end))
	}

	switch {
	case o.Workdays == nil:
		for d := time.Monday; d <= time.Friday; d++ {
			c.workdays[d] = true
		}
	case len(o.Workdays) == 0:
		// Without this check a calendar with no working weekdays and no
		// make-up days would have no business day to find.
		errs = append(errs, errors.New("calendar: Workdays is empty; leave it unset for Monday to Friday"))
	default:
		for _, d := range o.Workdays {
			if d < time.Sunday || d > time.Saturday {
				errs = append(errs, fmt.Errorf("calendar: workday %d is not a weekday (0=Sunday..6=Saturday)", int(d)))
				continue
			}
			c.workdays[d] = true
		}
	}

	for _, h := range o.Holidays {
		d, err := parseDate(h.Date)
		if err != nil {
			errs = append(errs, fmt.Errorf("calendar: holiday %q (%s): %w", h.Date, h.Name, err))
			continue
		}
		if _, dup := c.holidays[d]; !dup { // the first name given wins
			c.holidays[d] = h.Name
		}
	}
	for _, m := range o.Makeup {
		d, err := parseDate(m.Date)
		if err != nil {
			errs = append(errs, fmt.Errorf("calendar: make-up day %q (%s): %w", m.Date, m.Name, err))
			continue
		}
		if name, clash := c.holidays[d]; clash {
			errs = append(errs, fmt.Errorf("calendar: %s is both a holiday (%s) and a make-up working day (%s)", m.Date, name, m.Name))
			continue
		}
		c.makeup[d] = struct{}{}
	}
	for _, y := range o.Years {
		c.years[y] = true
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Location returns the zone in which dates are judged.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsBusinessDay reports whether t's date, in c's location, is a working
// day. Holidays and make-up days cannot overlap (New refuses that), so a
// make-up day beats the weekend and a holiday beats a working weekday.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	d := dateOf(t.In(c.loc))
	c.noteYears(d, d)
	return c.isBusiness(d)
}

// HolidayName returns the name of the public holiday on t's date in c's
// location, if there is one.
func (c *Calendar) HolidayName(t time.Time) (string, bool) {
	d := dateOf(t.In(c.loc))
	c.noteYears(d, d)
	name, ok := c.holidays[d]
	return name, ok
}

// AddBusinessDays returns the same wall-clock time on the n-th business day
// after t's date: a request sent Friday 16:00 with one business day to answer
// is due Monday 16:00, even if it was sent after working hours.
//
// A t on a non-business date is treated as received at WorkStart of the next
// business day, because nobody can act on it earlier; n == 0 therefore
// returns that moment (and t itself when t's date is a business day), so
// AddBusinessDays(t, n) == AddBusinessDays(AddBusinessDays(t, 0), n).
//
// A negative n counts back to the |n|-th business day before t's date, at
// t's wall-clock time, whatever t's date is: "remind one business day before
// a Monday 10:00 deadline" means Friday 10:00.
func (c *Calendar) AddBusinessDays(t time.Time, n int) time.Time {
	lt := t.In(c.loc)
	from := dateOf(lt)
	day, clock := from, clockOf(lt)
	var ok bool
	if n >= 0 {
		switch {
		case !c.isBusiness(day):
			// Reaching the next business day is the first step, so walk n+1.
			day, ok = c.walk(day, 1, min(n, math.MaxInt-1)+1)
			clock = c.start
		case n == 0:
			c.noteYears(from, from)
			return t
		default:
			day, ok = c.walk(day, 1, n)
		}
	} else {
		if n == math.MinInt {
			n++ // so that -n does not overflow; the walk is bounded anyway
		}
		day, ok = c.walk(day, -1, -n)
	}
	if !ok {
		c.gaveUp("AddBusinessDays", t, n)
	}
	c.noteYears(from, day)
	return c.at(day, clock)
}

// AddBusinessHours moves t forward by d of working time, counting only
// WorkStart..WorkEnd on business days. Time outside working hours does not
// count, so t there starts at the next WorkStart. A result that uses up a
// day's hours exactly is that day's WorkEnd rather than the next WorkStart:
// nine business hours from Monday 09:00 is Monday 18:00.
//
// A negative d walks backwards the same way (landing exactly on a WorkStart
// stays there). d == 0 returns t unchanged: adding no time is not a request
// to wait for the office to open.
func (c *Calendar) AddBusinessHours(t time.Time, d time.Duration) time.Time {
	if d == 0 {
		return t
	}
	cur := t.In(c.loc)
	from := dateOf(cur)
	day := from
	if d > 0 {
		for i := 0; ; i++ {
			if i > maxWalk {
				c.gaveUp("AddBusinessHours", t, d)
				break
			}
			if c.isBusiness(day) {
				s, e := c.at(day, c.start), c.at(day, c.end)
				if cur.Before(s) {
					cur = s
				}
				if cur.Before(e) {
					avail := e.Sub(cur)
					if d <= avail {
						cur = cur.Add(d)
						break
					}
					d -= avail
				}
			}
			day++
			cur = c.at(day, 0)
		}
	} else {
		if d == math.MinInt64 {
			d++ // so that -d does not overflow; the walk is bounded anyway
		}
		d = -d
		for i := 0; ; i++ {
			if i > maxWalk {
				c.gaveUp("AddBusinessHours", t, -d)
				break
			}
			if c.isBusiness(day) {
				s, e := c.at(day, c.start), c.at(day, c.end)
				if cur.After(e) {
					cur = e
				}
				if cur.After(s) {
					avail := cur.Sub(s)
					if d <= avail {
						cur = cur.Add(-d)
						break
					}
					d -= avail
				}
			}
			day--
			cur = c.at(day, 24*time.Hour) // midnight ending that day
		}
	}
	c.noteYears(from, dateOf(cur))
	return cur
}

// NextBusinessDayAt returns the first instant strictly after t that is the
// wall-clock time clock on a business day (clock 17h: the next business-day
// 17:00). Strictly after, so a reminder sent at 17:00 schedules the next one
// for the following business day instead of itself. A clock outside
// [0, 24h) is taken modulo 24h.
func (c *Calendar) NextBusinessDayAt(t time.Time, clock time.Duration) time.Time {
	clock %= 24 * time.Hour
	if clock < 0 {
		clock += 24 * time.Hour
	}
	from := dateOf(t.In(c.loc))
	day := from
	for i := 0; ; i++ {
		if i > maxWalk {
			c.gaveUp("NextBusinessDayAt", t, clock)
			break
		}
		if c.isBusiness(day) {
			if at := c.at(day, clock); at.After(t) {
				break
			}
		}
		day++
	}
	c.noteYears(from, day)
	return c.at(day, clock)
}

// WorkingFrom is t when t falls within working hours (WorkStart to
// WorkEnd, both included) of a business day, else the next WorkStart:
// the first moment something due at t reaches people at work.
func (c *Calendar) WorkingFrom(t time.Time) time.Time { return c.working("WorkingFrom", t, 1) }

// WorkingUntil is t when t falls within working hours of a business day,
// else the last moment of working hours before it (the previous WorkEnd):
// the last moment something meant for t still reaches people at work.
func (c *Calendar) WorkingUntil(t time.Time) time.Time { return c.working("WorkingUntil", t, -1) }

// working walks from t forward (step 1) or back (step -1) to the nearest
// moment within working hours of a business day.
func (c *Calendar) working(name string, t time.Time, step int) time.Time {
	cur := t.In(c.loc)
	from := dateOf(cur)
	day := from
	for i := 0; ; i++ {
		if i > maxWalk {
			c.gaveUp(name, t, nil)
			return cur
		}
		if c.isBusiness(day) {
			s, e := c.at(day, c.start), c.at(day, c.end)
			if step > 0 && cur.Before(s) {
				cur = s
			} else if step < 0 && cur.After(e) {
				cur = e
			}
			if !cur.Before(s) && !cur.After(e) {
				break
			}
		}
		day += date(step)
		if cur = c.at(day, 0); step < 0 {
			cur = c.at(day, 24*time.Hour) // midnight ending that day
		}
	}
	c.noteYears(min(from, day), max(from, day))
	return cur
}

// BusinessHoursBetween returns the working time (WorkStart..WorkEnd on
// business days) inside [a, b), so that "how long has this waited, in office
// hours" ignores nights, weekends and holidays; 0 if b is not after a.
// Ranges longer than the walk bound are cut there (and logged).
func (c *Calendar) BusinessHoursBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	da, db := dateOf(a.In(c.loc)), dateOf(b.In(c.loc))
	if db-da > maxWalk {
		c.gaveUp("BusinessHoursBetween", a, b)
		db = da + maxWalk
	}
	var total time.Duration
	for day := da; day <= db; day++ {
		if !c.isBusiness(day) {
			continue
		}
		s, e := c.at(day, c.start), c.at(day, c.end)
		if s.Before(a) {
			s = a
		}
		if e.After(b) {
			e = b
		}
		if e.After(s) {
			total += e.Sub(s)
		}
	}
	c.noteYears(da, db)
	return total
}

// Add applies a configured delay: business units through the calendar,
// Duration as elapsed time (calendar days are 24h each).
func (c *Calendar) Add(t time.Time, s Span) time.Time {
	switch s.Unit {
	case BusinessDays:
		return c.AddBusinessDays(t, s.N)
	case BusinessHours:
		const most = math.MaxInt64 / int64(time.Hour)
		n := int64(s.N)
		n = max(min(n, most), -most)
		return c.AddBusinessHours(t, time.Duration(n)*time.Hour)
	case Duration:
		return t.Add(s.D)
	}
	c.log().Error("calendar: unknown span unit; delay ignored", "span", s.String())
	return t
}

func (c *Calendar) isBusiness(d date) bool {
	if _, ok := c.holidays[d]; ok {
		return false
	}
	if _, ok := c.makeup[d]; ok {
		return true
	}
	return c.workdays[d.weekday()]
}

// walk moves from d (not counted) in direction dir to the count-th business
// day. It reports false if it stopped at the walk bound.
func (c *Calendar) walk(d date, dir, count int) (date, bool) {
	for i := 0; count > 0; i++ {
		if i >= maxWalk {
			return d, false
		}
		d += date(dir)
		if c.isBusiness(d) {
			count--
		}
	}
	return d, true
}

// Uncovered lists the years between t and days later that have no
// calendar file, while some year has one: there public holidays would be
// taken for working days. None when no year is configured at all (the
// operator chose a calendar of weekends only).
func (c *Calendar) Uncovered(t time.Time, days int) []int {
	if len(c.years) == 0 {
		return nil
	}
	var out []int
	from := t.In(c.loc).Year()
	to := t.In(c.loc).AddDate(0, 0, days).Year()
	for y := from; y <= to; y++ {
		if !c.years[y] {
			out = append(out, y)
		}
	}
	return out
}

// noteYears warns once per year and Calendar about every year in [a, b]
// (either order) without a loaded calendar file, because answers there
// silently treat public holidays as working days. No configured years at
// all means the operator chose a holiday-free calendar: nothing to warn about.
func (c *Calendar) noteYears(a, b date) {
	if len(c.years) == 0 {
		return
	}
	ya, yb := a.year(), b.year()
	if ya > yb {
		ya, yb = yb, ya
	}
	for y := ya; y <= yb; y++ {
		if c.years[y] {
			continue
		}
		c.mu.Lock()
		done := c.warned[y]
		c.warned[y] = true
		c.mu.Unlock()
		if !done {
			c.log().Warn("calendar: public holidays for this year are not configured; only weekends are skipped", "year", y)
		}
	}
}

func (c *Calendar) gaveUp(op string, t time.Time, arg any) {
	c.log().Error("calendar: stopped after walking the maximum number of days; the result is cut short",
		"op", op, "from", t, "arg", arg, "max_days", maxWalk)
}

func (c *Calendar) log() *slog.Logger {
	if c.logger != nil {
		return c.logger
	}
	return slog.Default()
}

// at returns the wall-clock time clock on day d in c's location. Wall clock,
// not elapsed time since midnight, so 09:00 stays 09:00 on a DST change day.
func (c *Calendar) at(d date, clock time.Duration) time.Time {
	y, m, dd := d.ymd()
	h := clock / time.Hour
	mi := clock % time.Hour / time.Minute
	s := clock % time.Minute / time.Second
	ns := clock % time.Second
	return time.Date(y, m, dd, int(h), int(mi), int(s), int(ns), c.loc)
}

// date is a calendar date as days since 1970-01-01, so that stepping a day
// is an increment and it can key a map.
type date int64

const secondsPerDay = 24 * 60 * 60

func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

func parseDate(s string) (date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return dateOf(t), nil
}

func (d date) ymd() (int, time.Month, int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

func (d date) year() int {
	y, _, _ := d.ymd()
	return y
}

func (d date) weekday() time.Weekday {
	return time.Weekday((int64(d)%7 + 7 + 4) % 7) // 1970-01-01 was a Thursday
}

func clockOf(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}

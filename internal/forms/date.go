package forms

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// TimeLayout is the canonical form of date and datetime answers, a wall
// clock in the calendar's location.
const TimeLayout = "2006-01-02 15:04"

// problem is why an answer could not be read, for a refusal to wrap.
// soft marks text that is no date at all, as opposed to a date that is
// wrong (2月30日), which a caller searching a line for a date reports.
type problem struct {
	key  string // the catalogue's text
	args bot.Args
	soft bool
}

func unreadable(s string) *problem {
	return &problem{key: "refuse.answer.date_unreadable", args: bot.Args{"value": quote(s)}, soft: true}
}

func (f *Field) parseTime(c Context, s string) (string, error) {
	c.begins = f.Begins
	t, p := c.when(s, f.Type == TypeDateTime)
	if p != nil {
		return "", f.fail(bot.CodeInvalid, p.key, p.args)
	}
	return t.Format(TimeLayout), nil
}

var (
	dateWords = strings.NewReplacer("号", "日", "星期", "周", "礼拜", "周", "週", "周",
		"点钟", "点", "：", ":", " at ", " ", "the day after tomorrow", "后天", "day after tomorrow", "后天")
	datePrefix = regexp.MustCompile(`^(?:by|before|on|due|at|截止到|截止|截至|到|于|在)\s*`)
	dateSuffix = regexp.MustCompile(`\s*(?:之前|以前|之内|以内|为止|内|前)$`)
	// An amount of time followed by 前 means "ago", not "before"; "3日前"
	// is left alone, as it usually means "before the 3rd".
	agoSuffix = regexp.MustCompile(`\d\s*个?(?:天|周|小时|钟头|分钟|工作日|月)前$`)

	reYMD      = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	reMD       = regexp.MustCompile(`^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*日?|[/.-]\s*(\d{1,2}))$`)
	reDayOnly  = regexp.MustCompile(`^(\d{1,2})\s*日$`)
	reWeekZH   = regexp.MustCompile(`^(本|这个?|下下个?|下个?|上个?)?周\s*([1-7日天])$`)
	reWeekEN   = regexp.MustCompile(`^(this |next |coming |last )?([a-z]{3,9})$`)
	reMonthDay = regexp.MustCompile(`^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?$`)
	reDayMonth = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3,9})\.?(?:,? (\d{4}))?$`)
	reBizDays  = regexp.MustCompile(`^(?:in |within )?(\d{1,3}) ?(?:个)?(?:business days?|working days?|work ?days?|bd|工作日)(?: later| from now|后|之后|以后)?$`)
	reDays     = regexp.MustCompile(`^(?:in |within )?(\d{1,3}) ?(?:days?|d|天|日后|日之后|日以后)(?: later| from now|后|之后|以后)?$`)
	reWeeks    = regexp.MustCompile(`^(?:in |within )?(\d{1,2}) ?(?:weeks?|个?周)(?: later| from now|后|之后|以后)?$`)
	reMonthEnd = regexp.MustCompile(`^(本|这个?|下个?)?月(?:底|末)$|^(?:end of (?:the |this )?(next )?month|eom)$`)
)

var (
	// Past days are read too, so that "昨天" as a deadline is refused for
	// being past, not for being unreadable.
	dayWords = map[string]int{"今天": 0, "今日": 0, "today": 0, "明天": 1, "明日": 1, "tomorrow": 1,
		"tmr": 1, "tmrw": 1, "后天": 2, "大后天": 3, "昨天": -1, "昨日": -1, "yesterday": -1, "前天": -2, "大前天": -3}
	weekdayNames = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
	monthNames   = []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
)

// when reads a moment as people type it (see the package documentation).
// A day without a time of day is the end of the working day, unless
// needClock, when it is refused.
func (c Context) when(s string, needClock bool) (time.Time, *problem) {
	loc := c.Calendar.Location()
	raw := strings.TrimSpace(s)
	if len(raw) > 200 {
		return time.Time{}, unreadable(raw)
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, raw, loc); err == nil {
			return c.sane(t.In(loc).Truncate(time.Minute), raw)
		}
	}
	n := normWhen(raw)
	if d, ok := relativeClock(n); ok {
		return c.sane(c.Now.Add(d).Truncate(time.Minute), raw)
	}
	clock, hasClock, rest, p := extractClock(n)
	if p != nil {
		return time.Time{}, p
	}
	if hasClock && clock < 0 {
		clock = c.workEnd()
	}
	rest = strings.Trim(rest, " ,的")
	today := midnight(c.Now)
	var day time.Time
	if rest != "" {
		var ok bool
		if day, ok, p = c.day(rest, raw); p != nil {
			return time.Time{}, p
		} else if !ok {
			return time.Time{}, unreadable(raw)
		}
	}
	switch {
	case !day.IsZero() && hasClock:
		return c.sane(at(day, clock), raw)
	case !day.IsZero():
		if needClock {
			return time.Time{}, &problem{key: "refuse.answer.date_needs_clock"}
		}
		if c.begins {
			return c.sane(at(day, c.workStart()), raw)
		}
		return c.sane(at(day, c.workEnd()), raw)
	case hasClock:
		t := at(today, clock)
		if t.Before(c.Now) {
			t = at(today.AddDate(0, 0, 1), clock) // "17:00" said at 18:00 means tomorrow
		}
		return c.sane(t, raw)
	}
	return time.Time{}, unreadable(raw)
}

func normWhen(raw string) string {
	n := " " + typed(raw) + " "
	n = strings.TrimSpace(dateWords.Replace(n))
	n = strings.TrimRight(n, " .。!！,，;；")
	n = datePrefix.ReplaceAllString(n, "")
	if !agoSuffix.MatchString(n) {
		n = dateSuffix.ReplaceAllString(n, "")
	}
	return strings.TrimSpace(n)
}

// day reads the date part. ok is false when the text is no date at all;
// shown is what the person typed, for a refusal.
func (c Context) day(s, shown string) (time.Time, bool, *problem) {
	now := c.Now
	today := midnight(now)
	if n, ok := dayWords[s]; ok {
		return today.AddDate(0, 0, n), true, nil
	}
	if m := reYMD.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		return c.date(y, mo, d, shown)
	}
	if m := reMD.FindStringSubmatch(s); m != nil {
		d := m[2] + m[3]
		return c.yearless(atoi(m[1]), atoi(d), shown)
	}
	if m := reMonthDay.FindStringSubmatch(s); m != nil {
		if mo := nameIndex(monthNames, m[1]); mo >= 0 {
			return c.maybeYear(m[3], mo+1, atoi(m[2]), shown)
		}
	}
	if m := reDayMonth.FindStringSubmatch(s); m != nil {
		if mo := nameIndex(monthNames, m[2]); mo >= 0 {
			return c.maybeYear(m[3], mo+1, atoi(m[1]), shown)
		}
	}
	if m := reDayOnly.FindStringSubmatch(s); m != nil {
		t, ok, p := c.date(today.Year(), int(today.Month()), atoi(m[1]), shown)
		if ok && t.Before(today) { // "8号" on the 20th is next month's
			next := today.AddDate(0, 1, 1-today.Day())
			t, ok, p = c.date(next.Year(), int(next.Month()), atoi(m[1]), shown)
		}
		return t, ok, p
	}
	if m := reWeekZH.FindStringSubmatch(s); m != nil {
		w := 6
		if m[2] != "日" && m[2] != "天" && m[2] != "7" {
			w = atoi(m[2]) - 1
		}
		return weekday(today, w, strings.TrimSuffix(m[1], "个")), true, nil
	}
	if m := reWeekEN.FindStringSubmatch(s); m != nil {
		if w := nameIndex(weekdayNames, m[2]); w >= 0 {
			which := map[string]string{"next ": "下", "last ": "上"}[m[1]]
			return weekday(today, w, which), true, nil
		}
	}
	if m := reBizDays.FindStringSubmatch(s); m != nil {
		return midnight(c.Calendar.AddBusinessDays(now, atoi(m[1]))), true, nil
	}
	if m := reDays.FindStringSubmatch(s); m != nil {
		return today.AddDate(0, 0, atoi(m[1])), true, nil
	}
	if m := reWeeks.FindStringSubmatch(s); m != nil {
		return today.AddDate(0, 0, 7*atoi(m[1])), true, nil
	}
	if m := reMonthEnd.FindStringSubmatch(s); m != nil {
		months := 1
		if strings.HasPrefix(m[1], "下") || m[2] != "" {
			months = 2
		}
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
		return first.AddDate(0, months, -1), true, nil
	}
	return time.Time{}, false, nil
}

// weekday is day w (0 Monday … 6 Sunday) of this week or the next. Plain
// "周五"/"friday" is the next such day, today included; "本周五" is this
// week's even if it has passed; "下周五" and "next friday" are next
// week's, as the Chinese is unambiguous and the summary shows the date;
// "上周五" and "last friday" last week's.
func weekday(today time.Time, w int, which string) time.Time {
	cur := (int(today.Weekday()) + 6) % 7
	monday := today.AddDate(0, 0, -cur)
	switch which {
	case "本", "这":
		return monday.AddDate(0, 0, w)
	case "下":
		return monday.AddDate(0, 0, 7+w)
	case "下下":
		return monday.AddDate(0, 0, 14+w)
	case "上":
		return monday.AddDate(0, 0, w-7)
	}
	return today.AddDate(0, 0, (w-cur+7)%7)
}

func nameIndex(names []string, word string) int {
	if len(word) < 3 {
		return -1
	}
	for i, n := range names {
		if strings.HasPrefix(n, word) {
			return i
		}
	}
	return -1
}

func (c Context) maybeYear(year string, mo, d int, s string) (time.Time, bool, *problem) {
	if year != "" {
		return c.date(atoi(year), mo, d, s)
	}
	return c.yearless(mo, d, s)
}

// yearless is a month and day in the coming twelve months: a date already
// past this year is next year's (1/5 typed in November).
func (c Context) yearless(mo, d int, s string) (time.Time, bool, *problem) {
	today := midnight(c.Now)
	t, ok, p := c.date(today.Year(), mo, d, s)
	if ok && t.Before(today) {
		t, ok, p = c.date(today.Year()+1, mo, d, s)
	}
	return t, ok, p
}

// date refuses what does not exist (2月30日, 13/45) instead of letting
// time.Date roll it into another month.
func (c Context) date(y, mo, d int, s string) (time.Time, bool, *problem) {
	loc := c.Calendar.Location()
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if mo < 1 || mo > 12 || d < 1 || t.Day() != d || int(t.Month()) != mo {
		return time.Time{}, false, &problem{key: "refuse.answer.date_not_real", args: bot.Args{"value": quote(s)}}
	}
	if y < c.Now.Year()-50 || y > c.Now.Year()+50 {
		return time.Time{}, false, &problem{key: "refuse.answer.date_bad_year", args: bot.Args{"year": y}}
	}
	return t, true, nil
}

// sane refuses a moment outside the plausible years (never a zero time).
func (c Context) sane(t time.Time, raw string) (time.Time, *problem) {
	if y := t.Year(); y < c.Now.Year()-50 || y > c.Now.Year()+50 {
		return time.Time{}, unreadable(raw)
	}
	return t.In(c.Calendar.Location()), nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

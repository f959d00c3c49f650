package forms

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// The time of day in an answer: "17:00", "5pm", "下午5点", "上午10点半",
// "3点一刻", "中午", "eod", and moments relative to now ("in 3 hours").

var (
	clockPrefix = `(上午|早上|早晨|早|中午|下午|晚上|傍晚|夜里|凌晨)?\s*`
	clockColon  = regexp.MustCompile(clockPrefix + `(\d{1,2}):(\d{2})(?::\d{2})?\s*(am|pm|a\.m\.?|p\.m\.?)?`)
	clockZH     = regexp.MustCompile(clockPrefix + `(\d{1,2})\s*[点时](?:\s*(半|1刻|3刻|(\d{1,2})\s*分?))?`)
	clockEN     = regexp.MustCompile(`(\d{1,2})(?:\.(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)`)
	clockWord   = regexp.MustCompile(`\b(?:noon|midday|eod|end of (?:the )?day)\b|中午|下班(?:时|前)?`)
	reHours     = regexp.MustCompile(`^(?:in |within )?(\d{1,3}(?:\.\d{1,2})?) ?(?:hours?|hrs?|h|个?小时|个?钟头)(?: later| from now|后|之后|以后)?$`)
	reHalfHour  = regexp.MustCompile(`^(?:in |within )?(?:半个?小时|半个?钟头)(?:后|之后|以后)?$`)
	reMinutes   = regexp.MustCompile(`^(?:in |within )?(\d{1,4}) ?(?:minutes?|mins?|m|分钟)(?: later| from now|后|之后|以后)?$`)
)

// relativeClock reads "in 3 hours", "3小时后", "半小时后", "in 45 minutes".
func relativeClock(n string) (time.Duration, bool) {
	if m := reHours.FindStringSubmatch(n); m != nil {
		h, err := strconv.ParseFloat(m[1], 64)
		return time.Duration(h * float64(time.Hour)), err == nil && h > 0
	}
	if reHalfHour.MatchString(n) {
		return 30 * time.Minute, true
	}
	if m := reMinutes.FindStringSubmatch(n); m != nil {
		mins, _ := strconv.Atoi(m[1])
		return time.Duration(mins) * time.Minute, mins > 0
	}
	return 0, false
}

// extractClock finds the one time of day in n and returns the rest. A
// clock of -1 stands for "end of the working day" (eod, 下班前).
func extractClock(n string) (clock time.Duration, ok bool, rest string, p *problem) {
	type hit struct {
		from, to int
		clock    time.Duration
		bad      bool
	}
	var hits []hit
	for _, m := range clockColon.FindAllStringSubmatchIndex(n, -1) {
		h, _ := strconv.Atoi(n[m[4]:m[5]])
		mi, _ := strconv.Atoi(n[m[6]:m[7]])
		cl, good := clockOf(group(n, m, 1)+group(n, m, 4), h, mi, m[5]-m[4] == 2)
		hits = append(hits, hit{m[0], m[1], cl, !good})
	}
	for _, m := range clockZH.FindAllStringSubmatchIndex(n, -1) {
		h, _ := strconv.Atoi(n[m[4]:m[5]])
		mi := 0
		switch g := group(n, m, 3); {
		case g == "半":
			mi = 30
		case g == "1刻":
			mi = 15
		case g == "3刻":
			mi = 45
		case g != "":
			mi, _ = strconv.Atoi(group(n, m, 4))
		}
		cl, good := clockOf(group(n, m, 1), h, mi, m[5]-m[4] == 2)
		hits = append(hits, hit{m[0], m[1], cl, !good})
	}
	for _, m := range clockEN.FindAllStringSubmatchIndex(n, -1) {
		if m[2] > 0 && n[m[2]-1] >= '0' && n[m[2]-1] <= '9' {
			continue
		}
		h, _ := strconv.Atoi(n[m[2]:m[3]])
		mi := 0
		if g := group(n, m, 2); g != "" {
			mi, _ = strconv.Atoi(g)
		}
		cl, good := clockOf(group(n, m, 3), h, mi, true)
		hits = append(hits, hit{m[2], m[1], cl, !good})
	}
	if len(hits) == 0 {
		if m := clockWord.FindStringIndex(n); m != nil {
			cl := time.Duration(-1)
			if w := n[m[0]:m[1]]; w == "noon" || w == "midday" || w == "中午" {
				cl = 12 * time.Hour
			}
			hits = append(hits, hit{m[0], m[1], cl, false})
		}
	}
	// The patterns overlap ("10:30pm" is also "30pm"): the first kept wins.
	var kept []hit
	for _, h := range hits {
		if !slices.ContainsFunc(kept, func(k hit) bool { return h.from < k.to && k.from < h.to }) {
			kept = append(kept, h)
		}
	}
	hits = kept
	switch {
	case len(hits) == 0:
		return 0, false, n, nil
	case len(hits) > 1:
		return 0, false, "", &problem{key: "refuse.answer.clock_two"}
	case hits[0].bad:
		return 0, false, "", &problem{key: "refuse.answer.clock_invalid", args: bot.Args{"value": quote(n[hits[0].from:hits[0].to])}}
	}
	h := hits[0]
	return h.clock, true, n[:h.from] + " " + n[h.to:], nil
}

func group(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// clockOf applies a marker (上午, 下午, am, pm …) to an hour. Without one,
// 1 to 6 o'clock written with one digit is read as afternoon, because
// nobody schedules office work at 3 a.m. and "3点" means 15:00 in a
// Chinese office; a two-digit hour ("02:00", the canonical form) is taken
// as written.
func clockOf(marker string, h, m int, twoDigits bool) (time.Duration, bool) {
	marker = strings.ReplaceAll(marker, ".", "")
	switch marker {
	case "pm", "下午", "晚上", "傍晚", "夜里":
		if h == 12 && marker != "pm" && marker != "下午" {
			return 23*time.Hour + 59*time.Minute, m == 0 // 晚上12点: the end of that day
		}
		if h < 12 {
			h += 12
		} else if marker == "pm" && h > 12 {
			return 0, false
		}
	case "am":
		if h > 12 {
			return 0, false
		}
		if h == 12 {
			h = 0
		}
	case "中午":
		if h >= 1 && h <= 2 {
			h += 12
		}
	case "":
		if h >= 1 && h <= 6 && !twoDigits {
			h += 12
		}
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// at is the wall-clock time clock on day, so 18:00 stays 18:00 across a
// daylight-saving change.
func at(day time.Time, clock time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(),
		int(clock/time.Hour), int(clock%time.Hour/time.Minute), 0, 0, day.Location())
}

// workEnd is the calendar's end of the working day as a clock. The
// calendar does not export its working hours, so they are measured on the
// next business day: its start is where one nanosecond of business time
// lands, its length is the business time inside it.
func (c Context) workEnd() time.Duration {
	start, end := c.workDay()
	if end <= start || end > 24*time.Hour {
		return 18 * time.Hour
	}
	return end
}

// workStart is when a business day's working hours begin, the day a
// period begins on (Field.Begins).
func (c Context) workStart() time.Duration {
	start, end := c.workDay()
	if end <= start || end > 24*time.Hour {
		return 9 * time.Hour
	}
	return start
}

// workDay is a business day's working hours as times of day.
func (c Context) workDay() (start, end time.Duration) {
	cal := c.Calendar
	day := cal.NextBusinessDayAt(c.Now, 0)
	first := cal.AddBusinessHours(day, time.Nanosecond).Add(-time.Nanosecond)
	length := cal.BusinessHoursBetween(day, day.AddDate(0, 0, 1))
	return first.Sub(day).Truncate(time.Minute), (first.Sub(day) + length).Truncate(time.Minute)
}

// unmarkedHour is a one-digit hour with nothing saying morning or
// afternoon ("6点", "7:30"); ParseClock pads it so it is read as written.
var unmarkedHour = regexp.MustCompile(`^(\d)([:点时])`)

// ParseClock reads one time of day as people type it: "22:00", "10pm",
// "晚上10点", "8点半", "22". Unlike a deadline, an hour without a marker is
// read on the 24-hour clock ("6点" is 06:00): it bounds a daily window
// such as quiet hours, not office work.
func ParseClock(s string) (time.Duration, bool) {
	n := normWhen(s)
	if h, err := strconv.Atoi(n); err == nil {
		return time.Duration(h) * time.Hour, h >= 0 && h <= 23
	}
	n = unmarkedHour.ReplaceAllString(n, "0$1$2")
	clock, ok, rest, p := extractClock(n)
	if p != nil || !ok || clock < 0 || strings.TrimSpace(rest) != "" {
		return 0, false
	}
	return clock, true
}

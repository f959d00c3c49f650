package engine

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Recurring meetings in chat: "meeting M-3 repeat weekly wed 10:00" /
// "会议 M-3 重复 每周三 10:00" turns a scheduled meeting into a series;
// an occurrence is "M-3#2026-10-07"; "cancel M-3 on 2026-10-07" /
// "取消 M-3 2026-10-07" calls one off, "meeting M-3 cancel" the series.

func init() { maps.Copy(notices, seriesNotices) }

var seriesNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"series_started": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"meeting": v.n.Subject, "start": v.when("start"), "rule": ruleText(v.param("every"), v.param("interval"), v.c, v.n.Subject)})
		return words.Text("notice.series_started.title", a), words.Text("notice.series_started.body", a), nil
	},
	"series_ended": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.series_ended.intro", v.args(words.Args{"meeting": v.n.Subject}))
		b.field("field.reason", v.param("reason"))
		return words.Text("notice.series_ended.title", words.Args{"meeting": v.n.Subject}), b.text(), nil
	},
}

// ruleText describes a series' rule in both languages, from its meeting
// when the collaboration is at hand.
func ruleText(every, interval string, c *bot.Collaboration, ref string) bot.Text {
	if c == nil {
		return bot.Text{ZH: every, EN: every}
	}
	series, _ := bot.SplitOccurrence(ref)
	id, err := bot.ParseMeetingID(series)
	if err != nil {
		return bot.Text{ZH: every, EN: every}
	}
	m, err := c.Meeting(id)
	if err != nil || !m.Series() {
		return bot.Text{ZH: every, EN: every}
	}
	return repeatText(m, m.Start.Location())
}

// repeatText is "every Wednesday at 10:00" / "每周三 10:00".
func repeatText(m *bot.Meeting, loc *time.Location) bot.Text {
	start := m.Start.In(loc)
	a := words.Args{"time": start.Format("15:04"), "weekday": words.Text("weekday."+strings.ToLower(start.Weekday().String()), nil),
		"n": m.Repeat.Interval, "until": m.Repeat.Until}
	key := "series.rule.daily"
	switch {
	case m.Repeat.Every == bot.RepeatWeekly && m.Repeat.Interval > 1:
		key = "series.rule.every_n_weeks"
	case m.Repeat.Every == bot.RepeatWeekly:
		key = "series.rule.weekly"
	}
	t := words.Text(key, a)
	if m.Repeat.Until != "" {
		u := words.Text("series.rule.until", a)
		t = bot.Text{ZH: t.ZH + u.ZH, EN: t.EN + u.EN}
	}
	return t
}

// meetingRef reads a meeting reference, "M-3", or an occurrence of a
// series, "M-3#2026-10-07".
func meetingRef(a string) (bot.MeetingID, string, bool) {
	series, on := bot.SplitOccurrence(a)
	n, err := bot.ParseRef(bot.KindMeeting, series)
	if err != nil || (on != "" && !dateStart.MatchString(on)) {
		return 0, "", false
	}
	return bot.MeetingID(n), on, true
}

// refOf is bot.ParseRef that also takes an occurrence for a meeting.
func refOf(kind bot.IDKind, a string) (int64, error) {
	if kind == bot.KindMeeting {
		if id, _, ok := meetingRef(a); ok {
			return int64(id), nil
		}
	}
	return bot.ParseRef(kind, a)
}

var (
	repeatWords = []string{"repeat", "recurring", "重复", "周期", "例会"}
	cancelWords = []string{"cancel", "取消"}
	onWords     = []string{"on", "的", "在"}
)

// seriesCommand handles the meeting commands about series and their
// occurrences; handled is false for the others.
func seriesCommand(ctx context.Context, s *session, in input) (handled bool, err error) {
	id, on, ok := meetingRef(in.arg(0))
	if !ok {
		return false, nil
	}
	word := strings.ToLower(in.arg(1))
	switch {
	case slices.Contains(repeatWords, word):
		return true, makeRecurring(ctx, s, id, in.form(2))
	case slices.Contains(cancelWords, word):
		if date := dateAfter(in, 2); date != "" && on == "" {
			on = date
		}
		if on == "" {
			return false, nil // the single meeting, or the whole series
		}
		return true, cancelOccurrence(ctx, s, id, on, strings.TrimSpace(strings.TrimPrefix(in.form(2), on)))
	case on == "":
		return false, nil
	}
	c, _, err := s.owner(ctx, bot.KindMeeting, in.arg(0))
	if err != nil {
		return true, err
	}
	rest := input{args: in.args[min(2, len(in.args)):], rest: in.form(2)}
	ref := id.String() + "#" + on
	days := s.e.Calendar
	switch {
	case slices.Contains([]string{"agenda", "议程"}, word):
		if err := probe(c, func(c *bot.Collaboration) error {
			return c.SetOccurrenceAgenda(days, s.actor, id, on, []string{"x"}, nil, s.now)
		}); err != nil {
			return true, err
		}
		return true, s.startForm(ctx, "agenda", ref, nil, rest.rest)
	case slices.Contains([]string{"minutes", "纪要", "amend", "更正", "修改纪要", "更正纪要"}, word):
		return true, openMinutes(ctx, s, c, id, on, rest.rest)
	case slices.Contains([]string{"confirm", "确认", "确认无误"}, word):
		return true, confirmOccurrence(ctx, s, c, id, on)
	}
	// Rescheduling or inviting is for the series: one occurrence is held,
	// written up or called off.
	return true, bot.RefuseField(bot.CodeInvalid, "action", "refuse.series.occurrence_actions", bot.Args{"meeting": ref, "series": id.String()})
}

// dateAfter is the date among the arguments from i on, past "on"/"的".
func dateAfter(in input, i int) string {
	a := in.arg(i)
	if slices.Contains(onWords, strings.ToLower(a)) {
		a = in.arg(i + 1)
	}
	if dateStart.MatchString(a) {
		if t, err := time.Parse(time.DateOnly, normalDate(a)); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return ""
}

// normalDate pads "2026-10-7" to "2026-10-07".
func normalDate(a string) string {
	p := strings.SplitN(a, "-", 3)
	if len(p) != 3 {
		return a
	}
	for i := 1; i < 3; i++ {
		if len(p[i]) == 1 {
			p[i] = "0" + p[i]
		}
	}
	return strings.Join(p, "-")
}

func confirmOccurrence(ctx context.Context, s *session, c *bot.Collaboration, id bot.MeetingID, on string) error {
	if err := c.ConfirmOccurrenceMinutes(s.e.Calendar, s.actor, id, on, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.meeting.minutes_confirmed", words.Args{"id": canonical(c, id, on)})
}

func cancelOccurrence(ctx context.Context, s *session, id bot.MeetingID, on, reason string) error {
	c, err := s.changeMeeting(ctx, id, func(c *bot.Collaboration) error {
		return c.CancelOccurrence(s.e.Calendar, s.actor, id, on, reason, s.now)
	})
	if err != nil {
		return err
	}
	m, _ := c.Meeting(id)
	args := words.Args{"meeting": canonical(c, id, on), "start": s.fmtTime(m.Start)}
	if next := m.Upcoming(s.e.Calendar, s.now); next != nil {
		args["start"], args["next"] = s.fmtTime(next.Start), next.Ref()
		return s.saveKey(ctx, c, "reply.series.occurrence_cancelled", args)
	}
	return s.saveKey(ctx, c, "reply.series.occurrence_cancelled_last", args)
}

// cmdCancelMeeting is "cancel M-3 on 2026-10-07" / "取消 M-3 2026-10-07":
// one occurrence; "cancel M-3": the meeting, or the whole series.
func cmdCancelMeeting(ctx context.Context, s *session, in input) error {
	id, on, ok := meetingRef(in.arg(0))
	if !ok {
		return bot.RefuseField(bot.CodeRequired, "id", "refuse.cancel.usage", nil)
	}
	if on == "" {
		on = dateAfter(in, 1)
	}
	if on != "" {
		return cancelOccurrence(ctx, s, id, on, "")
	}
	c, err := s.changeMeeting(ctx, id, func(c *bot.Collaboration) error { return c.CancelMeeting(s.actor, id, in.form(1), s.now) })
	if err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.meeting.cancelled", words.Args{"id": id})
}

// makeRecurring reads a rule — "weekly wed 10:00", "every 2 weeks on
// Monday 14:00 until 2026-12-31 move", "每天 9:30", "每两周周三 10:00
// 顺延" — and makes the meeting a series.
func makeRecurring(ctx context.Context, s *session, id bot.MeetingID, text string) error {
	r, wd, clock, err := parseRepeat(text)
	if err != nil {
		return err
	}
	if r.OnHoliday == "" {
		r.OnHoliday = s.e.Policy.MeetingHoliday
	}
	var m *bot.Meeting
	c, err := s.changeMeeting(ctx, id, func(c *bot.Collaboration) error {
		var err error
		if m, err = c.Meeting(id); err != nil {
			return err
		}
		start := firstStart(m.Start, s.now, s.loc(), r.Every, wd, clock)
		return c.MakeRecurring(s.e.Calendar, s.actor, id, r, start, s.now)
	})
	if err != nil {
		return err
	}
	hol := "reply.series.holiday_skip"
	if m.Repeat.OnHoliday == bot.HolidayMove {
		hol = "reply.series.holiday_move"
	}
	next := m.Upcoming(s.e.Calendar, s.now.Add(-time.Minute))
	when := "—"
	if next != nil {
		when = s.fmtTime(next.Start) + " (" + next.Ref() + ")"
	}
	rule := repeatText(m, s.loc())
	return s.saveKey(ctx, c, "reply.series.started", words.Args{"meeting": id, "rule": rule.In(s.lang), "next": when,
		"holiday": s.w(hol, nil)})
}

// firstStart is the first occurrence: on the weekday and at the time
// asked (each defaulting to the meeting's), from the meeting's date on.
func firstStart(start, now time.Time, loc *time.Location, every bot.RepeatUnit, wd *time.Weekday, clock *time.Duration) time.Time {
	from := start.In(loc)
	if from.Before(now) {
		from = now.In(loc)
	}
	y, mo, d := from.Date()
	day := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	at := start.In(loc).Sub(time.Date(start.In(loc).Year(), start.In(loc).Month(), start.In(loc).Day(), 0, 0, 0, 0, loc))
	if clock != nil {
		at = *clock
	}
	if every == bot.RepeatWeekly && wd != nil {
		day = day.AddDate(0, 0, (int(*wd)-int(day.Weekday())+7)%7)
	}
	if t := day.Add(at); t.After(now) {
		return t
	}
	if every == bot.RepeatWeekly {
		return day.AddDate(0, 0, 7).Add(at)
	}
	return day.AddDate(0, 0, 1).Add(at)
}

var (
	halfDay     = regexp.MustCompile(`(上午|早上|下午|晚上|傍晚)`)
	clockWord   = regexp.MustCompile(`^(\d{1,2})(?:[:：](\d{2})|点(?:(\d{1,2})分?|半)?)$`)
	everyN      = regexp.MustCompile(`^(\d+)(?:w|weeks?|周)?$`)
	zhWeekday   = regexp.MustCompile(`每?(?:周|星期|礼拜)([一二三四五六日天])`)
	zhEveryN    = regexp.MustCompile(`每\s*(\d+|两|二|三|四)\s*(?:个)?(?:周|星期)`)
	zhNumbers   = map[string]string{"两": "2", "二": "2", "三": "3", "四": "4"}
	zhWeekdays  = map[string]string{"一": "mon", "二": "tue", "三": "wed", "四": "thu", "五": "fri", "六": "sat", "日": "sun", "天": "sun"}
	enWeekdays  = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	fillerWords = []string{"at", "on", "every", "the", "of", "in", "each", "的", "在", "于", "开", "开会", "举行"}
)

// parseRepeat reads a rule. Each word must be understood: a typo in a
// weekday is refused with the word, never guessed.
func parseRepeat(text string) (r bot.Repeat, wd *time.Weekday, clock *time.Duration, err error) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "" {
		return r, nil, nil, bot.RefuseField(bot.CodeRequired, "every", "refuse.series.usage", nil)
	}
	// Chinese runs together: put spaces between its parts.
	t = zhEveryN.ReplaceAllStringFunc(t, func(m string) string {
		n := zhEveryN.FindStringSubmatch(m)[1]
		if v, ok := zhNumbers[n]; ok {
			n = v
		}
		return " weekly every " + n + " "
	})
	t = zhWeekday.ReplaceAllStringFunc(t, func(m string) string { return " " + zhWeekdays[zhWeekday.FindStringSubmatch(m)[1]] + " " })
	for _, rep := range [][2]string{{"隔周", " weekly every 2 "}, {"双周", " weekly every 2 "}, {"每个工作日", " daily "}, {"工作日", " daily "},
		{"每天", " daily "}, {"每日", " daily "}, {"每周", " weekly "}, {"截至", " until "}, {"截止", " until "}, {"直到", " until "},
		{"至", " until "}, {"到", " until "}, {"顺延", " move "}, {"跳过", " skip "}, {"，", " "}, {",", " "}, {"。", " "}} {
		t = strings.ReplaceAll(t, rep[0], rep[1])
	}
	t = halfDay.ReplaceAllString(t, " $1 ")
	toks := strings.Fields(t)
	pm := false
	intervalSet := false
	for i := 0; i < len(toks); i++ {
		w := strings.TrimSuffix(w0(toks[i]), ".")
		switch {
		case w == "daily" || w == "everyday" || w == "day" || w == "days" || w == "business" || w == "workday" || w == "workdays" || w == "weekday" || w == "weekdays":
			if r.Every == "" {
				r.Every = bot.RepeatDaily
			}
		case w == "weekly" || w == "week":
			r.Every = bot.RepeatWeekly
		case w == "biweekly" || w == "fortnightly":
			r.Every, r.Interval, intervalSet = bot.RepeatWeekly, 2, true
		case w == "every" && i+1 < len(toks) && everyN.MatchString(toks[i+1]):
			n, _ := strconv.Atoi(everyN.FindStringSubmatch(toks[i+1])[1])
			r.Every, r.Interval, intervalSet = bot.RepeatWeekly, n, true
			if n == 0 {
				return r, nil, nil, bot.RefuseField(bot.CodeInvalid, "interval", "refuse.series.interval", bot.Args{"max": 12})
			}
			i++
			if i+1 < len(toks) && (toks[i+1] == "weeks" || toks[i+1] == "week") {
				i++
			}
		case w == "until" && i+1 < len(toks):
			d := normalDate(toks[i+1])
			if _, perr := time.Parse(time.DateOnly, d); perr != nil {
				return r, nil, nil, bot.RefuseField(bot.CodeInvalid, "until", "refuse.date.unreadable", nil)
			}
			r.Until = d
			i++
		case w == "move" || w == "skip":
			r.OnHoliday, _ = bot.ParseHolidayRule(w)
		case w == "pm" || w == "下午" || w == "晚上" || w == "傍晚":
			pm = true
		case w == "am" || w == "上午" || w == "早上":
		case clockWord.MatchString(w):
			m := clockWord.FindStringSubmatch(w)
			h, _ := strconv.Atoi(m[1])
			mins := 0
			if m[2] != "" {
				mins, _ = strconv.Atoi(m[2])
			} else if m[3] != "" {
				mins, _ = strconv.Atoi(m[3])
			} else if strings.HasSuffix(w, "半") {
				mins = 30
			}
			if h > 23 || mins > 59 {
				return r, nil, nil, bot.RefuseField(bot.CodeInvalid, "start", "refuse.series.bad_time", bot.Args{"word": toks[i]})
			}
			d := time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
			clock = &d
		case slices.Contains(fillerWords, w):
		default:
			if day, ok := weekdayWord(w); ok {
				wd = &day
				if r.Every == "" {
					r.Every = bot.RepeatWeekly
				}
				continue
			}
			return r, nil, nil, bot.RefuseField(bot.CodeInvalid, "every", "refuse.series.unknown_word", bot.Args{"word": toks[i]})
		}
	}
	if pm && clock != nil && *clock < 12*time.Hour {
		d := *clock + 12*time.Hour
		clock = &d
	}
	if r.Every == "" {
		return r, nil, nil, bot.RefuseField(bot.CodeRequired, "every", "refuse.series.usage", nil)
	}
	if r.Every == bot.RepeatDaily && (intervalSet || wd != nil) {
		return r, nil, nil, bot.RefuseField(bot.CodeInvalid, "every", "refuse.series.daily_weekday", nil)
	}
	return r, wd, clock, nil
}

func w0(w string) string { return strings.Trim(w, "()（）") }

// weekdayWord reads "wed", "Wednesday", "wednesdays".
func weekdayWord(w string) (time.Weekday, bool) {
	w = strings.TrimSuffix(w, "s")
	if d, ok := enWeekdays[w]; ok {
		return d, true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.ToLower(d.String()) == w {
			return d, true
		}
	}
	return 0, false
}

// changeMeeting loads the collaboration a meeting belongs to, applies
// rule and saves.
func (s *session) changeMeeting(ctx context.Context, id bot.MeetingID, rule func(c *bot.Collaboration) error) (*bot.Collaboration, error) {
	c, _, err := s.owner(ctx, bot.KindMeeting, id.String())
	if err != nil {
		return nil, err
	}
	if err := rule(c); err != nil {
		return nil, err
	}
	return c, s.tx.Save(ctx, c)
}

// canonical is how an occurrence is named once stored: by the day it
// takes place, whichever of its dates was typed.
func canonical(c *bot.Collaboration, id bot.MeetingID, on string) string {
	if m, err := c.Meeting(id); err == nil {
		if o := m.StoredOn(on); o != nil {
			return o.Ref()
		}
	}
	return id.String() + "#" + on
}

// canonicalTarget is canonical for a form's target, "M-3" or "M-3#date".
func canonicalTarget(c *bot.Collaboration, target string) string {
	id, on, ok := meetingRef(target)
	if !ok || on == "" {
		return target
	}
	return canonical(c, id, on)
}

// seriesHint tells the organiser of a weekly meeting or a stand-up how to
// make it repeat.
func seriesHint(s *session, m bot.Meeting) {
	switch m.Kind {
	case bot.MeetingWeekly:
		s.sayKey("reply.series.hint_weekly", words.Args{"meeting": m.ID,
			"weekday": words.Text("weekday."+strings.ToLower(m.Start.In(s.loc()).Weekday().String()), nil).In(s.lang),
			"time":    m.Start.In(s.loc()).Format("15:04")})
	case bot.MeetingStandup:
		s.sayKey("reply.series.hint_daily", words.Args{"meeting": m.ID, "time": m.Start.In(s.loc()).Format("15:04")})
	}
}

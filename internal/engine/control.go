package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/words"
	"github.com/collabot/collabot/scheduler"
)

// People's control over reminders: a collaboration's timers, a personal
// snooze, declared leave.

// maxSnooze is the longest snooze; longer absences are leave, which tells
// the coordinator.
const maxSnooze = 7 * 24 * time.Hour

// maxLeave is the longest leave one command declares.
const maxLeave = 92

func cmdRemind(ctx context.Context, s *session, in input) error {
	ref, i := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	rest := in.args[i+1:] // after the reference, or all of them when there is none
	if len(rest) == 0 {
		s.showReminders(c)
		return nil
	}
	timer, value := bot.AllReminders, rest[0]
	if len(rest) > 1 {
		timer, value = rest[0], strings.Join(rest[1:], " ")
	}
	if t, v, ok := namedTimer(rest); ok {
		timer, value = t, v
	}
	name, canonical, err := scheduler.ParseOverrideFor(c, timer, value)
	if err != nil {
		return s.remindRefusal(c, err)
	}
	if name == "daily_progress" && canonical != "on" && canonical != "off" {
		if err := s.dailyTimeFits(c, canonical); err != nil {
			return err
		}
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.SetReminder(s.actor, name, canonical, s.now) })
	if err != nil {
		return err
	}
	s.showReminders(c)
	return nil
}

// dailyTimeFits refuses a daily progress time outside the workspace's
// working hours (a request at 21:00 reaches people at home) or not
// before the coordinator's summary, which says who was asked.
func (s *session) dailyTimeFits(c *bot.Collaboration, value string) error {
	clock, _ := forms.ParseClock(value) // ParseOverride checked it is a time of day
	// The working hours of the next business day, read off the calendar.
	day := s.e.Calendar.WorkingFrom(s.now.Add(24 * time.Hour))
	midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.loc())
	from := s.e.Calendar.WorkingFrom(midnight)
	until := s.e.Calendar.WorkingUntil(midnight.Add(24*time.Hour - time.Minute))
	t := midnight.Add(clock)
	args := words.Args{"ref": c.ID.String(), "value": value, "from": from.Format("15:04"), "to": until.Format("15:04"),
		"summary": clockText(s.e.Policy.For(c).DailyProgress.SummaryAt)}
	switch {
	case t.Before(from) || t.After(until):
		return refuse(bot.CodeInvalid, "timer", "reply.remind.daily_outside_hours", args)
	case clock >= s.e.Policy.For(c).DailyProgress.SummaryAt:
		return refuse(bot.CodeInvalid, "timer", "reply.remind.daily_after_summary", args)
	}
	return nil
}

// remindRefusal says, in the speaker's language, why a `remind` setting
// was refused: a timer this collaboration's steps do not use is named
// with the ones they do, and the usage is this collaboration's.
func (s *session) remindRefusal(c *bot.Collaboration, err error) error {
	timer, example := remindExample(s.e.Policy.For(c), c)
	args := words.Args{"ref": c.ID.String(), "timer": timer, "example": example}
	var why any = err
	var oe *scheduler.OverrideError
	if errors.As(err, &oe) {
		a := bot.Args{"ref": c.ID.String(), "timer": oe.Timer, "value": oe.Value}
		if oe.Kind == "value" || oe.Kind == "clock" {
			a["name"] = timerName(oe.Timer) // a timer that exists
		}
		switch oe.Kind {
		case "timer":
			var names []bot.Text
			for _, t := range scheduler.TimersOf(c) {
				n := timerName(t)
				names = append(names, bot.Text{ZH: n.ZH + " `" + t + "`", EN: n.EN + " `" + t + "`"})
			}
			a["timers"] = joined(names)
			why = bot.Msg{Key: "reply.remind.no_timer", Args: a}
		case "switch":
			why = bot.Msg{Key: "reply.remind.all_switch", Args: a}
		case "value":
			why = bot.Msg{Key: "reply.remind.bad_span", Args: a}
		case "clock":
			why = bot.Msg{Key: "reply.remind.bad_clock", Args: a}
		}
	}
	args["error"] = why
	return refuse(bot.CodeInvalid, "timer", "reply.remind.invalid", args)
}

// remindExample is a setting to show in the usage: the collaboration's
// first timer at its current value, so the example is one it has.
func remindExample(p scheduler.Policy, c *bot.Collaboration) (timer, value string) {
	for _, st := range p.SettingsOf(c) {
		return st.Timer, st.Value
	}
	return bot.AllReminders, "off"
}

// namedTimer reads a setting that starts with a timer's name as the
// list of reminders shows it, in either language ("每日进度 18:00",
// "Daily progress 18:00"): people copy what they were shown, and an
// English name is several words.
func namedTimer(args []string) (timer, value string, ok bool) {
	for _, t := range scheduler.Timers() {
		n := timerName(t)
		for _, name := range []string{n.ZH, n.EN} {
			w := strings.Fields(name)
			if len(w) > 0 && len(args) > len(w) && strings.EqualFold(strings.Join(args[:len(w)], " "), strings.Join(w, " ")) {
				return t, strings.Join(args[len(w):], " "), true
			}
		}
	}
	return "", "", false
}

// timerName names a timer for people ("timer.acknowledgement"); every
// timer scheduler.Timers lists has its words (a test checks).
func timerName(timer string) bot.Text { return words.Text("timer."+timer, nil) }

var weekdayNames = []string{"weekday.sunday", "weekday.monday", "weekday.tuesday", "weekday.wednesday",
	"weekday.thursday", "weekday.friday", "weekday.saturday"}

// showReminders lists every timer of the collaboration with its value,
// whether it is on, and whether the collaboration set it itself.
func (s *session) showReminders(c *bot.Collaboration) {
	var b strings.Builder
	for _, st := range s.e.Policy.For(c).SettingsOf(c) {
		value := st.Value
		if st.Weekly {
			value = words.Get(s.lang, weekdayNames[st.Day], nil) + " " + value
		}
		if !st.Clock {
			if span, err := calendar.ParseSpan(st.Value); err == nil {
				value = s.spanText(span)
			}
		}
		_, here := c.Reminders[st.Timer]
		line := map[[2]bool]string{
			{true, false}: "reply.remind.timer_on", {false, false}: "reply.remind.timer_off",
			{true, true}: "reply.remind.timer_on_here", {false, true}: "reply.remind.timer_off_here",
		}[[2]bool{st.On, here}]
		b.WriteString(s.w(line, words.Args{"name": timerName(st.Timer), "timer": st.Timer, "value": value}) + "\n")
	}
	timer, example := remindExample(s.e.Policy.For(c), c)
	ref := words.Args{"ref": c.ID.String()}
	b.WriteString(s.w("reply.remind.how", ref.With(words.Args{"timer": timer, "example": example})))
	s.reply(bot.Reply{Title: s.w("reply.remind.title", ref), Body: b.String()})
}

// spanText writes a timer's span as people say it: "1 个工作日",
// "9 business hours", "24 小时".
func (s *session) spanText(sp calendar.Span) string { return spanText(sp).In(s.lang) }

func spanText(sp calendar.Span) bot.Text { return record.SpanText(sp) }

// counted is "{n} <unit>" in the singular or the plural form a language
// has (Chinese has one form, written twice).
func counted(n int, one, other string) bot.Text {
	if n == 1 {
		return words.Text(one, words.Args{"n": n})
	}
	return words.Text(other, words.Args{"n": n})
}

func cmdSnooze(ctx context.Context, s *session, in input) error {
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	arg := strings.ToLower(strings.TrimSpace(in.rest))
	switch arg {
	case "":
		if s.now.Before(st.SnoozeUntil) {
			s.sayKey("reply.snooze.until", words.Args{"until": s.stamp(st.SnoozeUntil)})
		} else {
			s.sayKey("reply.snooze.none", nil)
		}
		return nil
	case "off", "关", "关闭", "cancel", "取消":
		st.SnoozeUntil = time.Time{}
		if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
			return err
		}
		s.sayKey("reply.snooze.off", nil)
		return nil
	}
	if _, err := readQuietHours(arg); err == nil && strings.ContainsAny(arg, "-–—~～到至") {
		// "免打扰 22:00-08:00" is a daily window, not a snooze.
		return cmdQuiet(ctx, s, in)
	}
	until, err := s.snoozeUntil(arg)
	if err != nil {
		return err
	}
	st.SnoozeUntil = until
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	s.sayKey("reply.snooze.on", words.Args{"until": s.stamp(until)})
	return nil
}

// cmdQuiet shows, sets or ends the person's daily quiet hours: whatever
// is sent to them in the window (notices as well as reminders) waits
// until it ends.
func cmdQuiet(ctx context.Context, s *session, in input) error {
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	arg := strings.TrimSpace(in.rest)
	switch {
	case arg == "":
		if st.Quiet.IsSet() {
			s.sayKey("reply.quiet.shown", words.Args{"from": clockText(st.Quiet.From), "to": clockText(st.Quiet.To)})
		} else {
			s.sayKey("reply.quiet.none", nil)
		}
		return nil
	case slices.Contains(offWords, strings.ToLower(arg)):
		st.Quiet = bot.QuietHours{}
		if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
			return err
		}
		s.sayKey("reply.quiet.off", nil)
		return nil
	}
	q, err := readQuietHours(arg)
	if err != nil {
		return err
	}
	st.Quiet = q
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	s.sayKey("reply.quiet.on", words.Args{"from": clockText(q.From), "to": clockText(q.To)})
	return nil
}

// readQuietHours reads a daily window as people write it: "22:00-08:00",
// "晚上10点到早上7点", "10pm to 7am", "22-7".
func readQuietHours(arg string) (bot.QuietHours, error) {
	bad := refuse(bot.CodeInvalid, "quiet", "reply.quiet.invalid", nil)
	for _, sep := range []string{"-", "–", "—", "~", "～", "到", "至", " to "} {
		from, to, ok := strings.Cut(arg, sep)
		if !ok {
			continue
		}
		f, ok1 := forms.ParseClock(from)
		t, ok2 := forms.ParseClock(to)
		if q := (bot.QuietHours{From: f, To: t}); ok1 && ok2 && q.IsSet() {
			return q, nil
		}
		return bot.QuietHours{}, bad
	}
	return bot.QuietHours{}, bad
}

// snoozeUntil reads "2h", "30m", "1bd", "until 2026-03-09 [14:00]", "到 …".
func (s *session) snoozeUntil(arg string) (time.Time, error) {
	bad := refuse(bot.CodeInvalid, "snooze", "reply.snooze.invalid", words.Args{"days": int(maxSnooze / (24 * time.Hour))})
	var until time.Time
	if rest, ok := cutAny(arg, "until", "到", "直到"); ok {
		t, err := s.parseWhen(rest)
		if err != nil {
			return time.Time{}, bad
		}
		until = t
	} else {
		span, err := calendar.ParseSpan(arg)
		if err != nil || span.IsZero() || span.D < 0 || span.N < 0 {
			return time.Time{}, bad
		}
		until = s.e.Calendar.Add(s.now, span).Truncate(time.Minute)
	}
	if !until.After(s.now) || until.Sub(s.now) > maxSnooze {
		return time.Time{}, bad
	}
	return until, nil
}

func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

// parseWhen reads a date ("2026-03-09", the start of that day) or a date
// and time, in the workspace's zone.
func (s *session) parseWhen(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(v), s.loc()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("engine: not a date: %q", v)
}

func (s *session) stamp(t time.Time) string { return t.In(s.loc()).Format("2006-01-02 15:04") }

func cmdLeave(ctx context.Context, s *session, in input) error {
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	today := s.today()
	// Past leave is history; keep only what still matters.
	st.Leave = slices.DeleteFunc(st.Leave, func(l bot.Leave) bool { return l.To < today })
	arg := strings.ToLower(strings.TrimSpace(in.rest))
	switch arg {
	case "":
		if len(st.Leave) == 0 {
			s.sayKey("reply.leave.none", nil)
			return nil
		}
		s.sayKey("reply.leave.list", words.Args{"leave": leaveList(st.Leave)})
		return nil
	case "off", "cancel", "取消", "销假":
		return cmdEndLeave(ctx, s, input{})
	}
	l, err := s.parseLeave(arg, today)
	if err != nil {
		return err
	}
	var added bool
	if st.Leave, l, added = addLeave(st.Leave, l); !added {
		s.sayKey("reply.leave.already", words.Args{"from": s.leaveDay(l.From), "to": s.leaveDay(l.To)})
		return nil
	}
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	told, due, err := s.tellCoordinators(ctx, l)
	if err != nil {
		return err
	}
	declared := "reply.leave.declared."
	if l.From == l.To {
		declared = "reply.leave.declared_day."
	}
	switch told {
	case 0:
		declared += "none"
	case 1:
		declared += "one"
	default:
		declared += "other"
	}
	s.sayKey(declared, words.Args{"from": s.leaveDay(l.From), "to": s.leaveDay(l.To), "n": told})
	if len(due) > 0 {
		// Not reminded while away: what falls due meanwhile needs someone
		// else or another date, and the person should know it.
		var lines []string
		for _, d := range due {
			lines = append(lines, "• "+d.text().In(s.lang))
		}
		s.sayKey("reply.leave.due", words.Args{"items": strings.Join(lines, "\n")})
	}
	return nil
}

// addLeave adds l to the periods declared, overlapping and adjacent ones
// becoming one, and returns the period that now holds l. It reports false,
// changing nothing, when l adds no day to them.
func addLeave(ls []bot.Leave, l bot.Leave) ([]bot.Leave, bot.Leave, bool) {
	for _, o := range ls {
		if o.From <= l.From && l.To <= o.To {
			return ls, o, false
		}
	}
	all := append(slices.Clone(ls), l)
	slices.SortFunc(all, func(a, b bot.Leave) int { return strings.Compare(a.From, b.From) })
	var out []bot.Leave
	for _, p := range all {
		if n := len(out); n > 0 && p.From <= nextDay(out[n-1].To) {
			out[n-1].To = max(out[n-1].To, p.To)
			continue
		}
		out = append(out, p)
	}
	for _, p := range out {
		if p.From <= l.From && l.To <= p.To {
			l = p
		}
	}
	return out, l, true
}

// nextDay is the date after an ISO date.
func nextDay(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// leaveDay shows a date of leave with its weekday, so that a period typed
// as "下周一到下周三" can be checked at a glance.
func (s *session) leaveDay(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return s.w("reply.leave.day", words.Args{"date": date, "weekday": s.w(weekdayNames[t.Weekday()], nil)})
}

// allLeaveWords cancel every period of leave at once (`unleave all`).
var allLeaveWords = []string{"all", "全部", "所有", "都"}

// cmdEndLeave is 销假: what people say when they are back early, or when
// they declared the wrong days. With several periods declared it asks
// which rather than cancel them all: `unleave 2026-12-07` cancels the
// period holding that day, `unleave all` every one. Whoever was told of
// a period is told it is cancelled, on the timelines that recorded it.
func cmdEndLeave(ctx context.Context, s *session, in input) error {
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	today := s.today()
	st.Leave = slices.DeleteFunc(st.Leave, func(l bot.Leave) bool { return l.To < today })
	if len(st.Leave) == 0 {
		s.sayKey("reply.leave.none", nil)
		return nil
	}
	drop, err := s.leaveToCancel(st.Leave, strings.ToLower(strings.TrimSpace(in.rest)), today)
	if err != nil || drop == nil {
		return err
	}
	drop = slices.Clone(drop) // DeleteFunc below clears the slots drop may share
	st.Leave = slices.DeleteFunc(st.Leave, func(l bot.Leave) bool { return slices.Contains(drop, l) })
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	told := 0
	var periods []string
	for _, l := range drop {
		n, err := s.tellLeaveCancelled(ctx, l)
		if err != nil {
			return err
		}
		told += n
		periods = append(periods, s.leavePeriod(l))
	}
	key := "reply.leave.cancelled.none"
	switch {
	case told == 1:
		key = "reply.leave.cancelled.one"
	case told > 1:
		key = "reply.leave.cancelled.other"
	}
	s.sayKey(key, words.Args{"periods": joinList(s.lang, periods), "n": told})
	return nil
}

// leaveToCancel reads which of the periods declared to cancel: all of
// them, the one holding a day (or those meeting a period) named, or the
// only one. Nil, with nothing said yet, means it asked which.
func (s *session) leaveToCancel(declared []bot.Leave, arg, today string) ([]bot.Leave, error) {
	switch {
	case slices.Contains(allLeaveWords, arg):
		return declared, nil
	case arg == "" && len(declared) == 1:
		return declared, nil
	case arg == "":
		s.askWhichLeave(declared)
		return nil, nil
	}
	l, err := s.parseLeave(arg, today)
	if err != nil {
		return nil, err
	}
	var drop []bot.Leave
	for _, d := range declared {
		if d.From <= l.To && l.From <= d.To {
			drop = append(drop, d)
		}
	}
	if len(drop) == 0 {
		return nil, refuse(bot.CodeNotFound, "leave", "reply.leave.not_declared",
			words.Args{"from": s.leaveDay(l.From), "leave": leaveList(declared)})
	}
	return drop, nil
}

// askWhichLeave lists the periods declared, a button cancelling each.
func (s *session) askWhichLeave(declared []bot.Leave) {
	word, all := "unleave ", "unleave all"
	if s.lang == bot.Chinese {
		word, all = "销假 ", "销假 全部"
	}
	r := bot.Reply{Body: s.w("reply.leave.which", words.Args{"n": len(declared), "leave": leaveList(declared),
		"example": word + declared[len(declared)-1].From, "all": all})}
	for _, l := range declared {
		cmd := "unleave " + l.From
		r.Buttons = append(r.Buttons, bot.Button{Label: s.leavePeriod(l), Action: "command", Value: cmd, Command: word + l.From})
	}
	r.Buttons = append(r.Buttons, bot.Button{Label: s.w("reply.leave.all_button", nil), Action: "command", Value: "unleave all", Command: all, Style: "danger"})
	s.reply(r)
}

// leavePeriod shows a period with its weekdays, as it was declared.
func (s *session) leavePeriod(l bot.Leave) string {
	if l.From == l.To {
		return s.leaveDay(l.From)
	}
	return s.w("reply.leave.period", words.Args{"from": s.leaveDay(l.From), "to": s.leaveDay(l.To)})
}

// today is the date in the calendar's location, as leave is written.
func (s *session) today() string { return s.now.In(s.loc()).Format(time.DateOnly) }

// leaveLength is a length rather than dates ("3天", "3日", "2 weeks"): the
// date parser would read it as a day that many days away, or the 3rd, not
// as a period. Within a period "11日" is a date ("12月10日至11日").
var leaveLength = regexp.MustCompile(`^\d+\s*(?:个)?(?:天|日|周|星期|工作日|days?|d|weeks?|w|bd|business days?|working days?)$`)

// parseLeave reads a period of leave as people write it: ISO dates
// ("2026-03-09..2026-03-13"), the words the forms read ("明天", "下周一到下周三",
// "12月7日至9日", "next monday to friday"), "下周"/"next week" (its business
// week) or one day. Nothing before today, at most maxLeave days.
func (s *session) parseLeave(arg, today string) (bot.Leave, error) {
	bad := refuse(bot.CodeInvalid, "leave", "reply.leave.invalid", words.Args{"days": maxLeave})
	day := func(text string) (time.Time, bool) {
		text = strings.TrimSpace(text)
		if text == "" {
			return time.Time{}, false
		}
		f := &forms.Field{Key: "leave", Type: forms.TypeDate, Required: true}
		v, err := f.Parse(s.formContext(), text)
		if err != nil {
			return time.Time{}, false
		}
		return forms.Values{f.Key: v}.Time(f.Key, s.loc()), true
	}
	if leaveLength.MatchString(arg) {
		return bot.Leave{}, bad
	}
	from, to, ok := s.leaveWeek(arg)
	for _, sep := range forms.PeriodSeparators { // "-" alone comes last, below
		if ok {
			break
		}
		a, b, found := strings.Cut(arg, sep)
		if !found {
			continue
		}
		if strings.TrimSpace(a) == "" { // "到周五": from today
			a = today
		}
		from, ok = day(a)
		if ok {
			to, ok = day(b)
		}
		// "next monday to wednesday": a bare weekday ends the period
		// that week, not the week the first day is counted from.
		if ok && to.Before(from) && bareWeekday(b) {
			to = to.AddDate(0, 0, 7)
		}
	}
	for i := 0; !ok && i < len(arg); i++ {
		if arg[i] == '-' {
			if from, ok = day(arg[:i]); ok {
				to, ok = day(arg[i+1:])
			}
		}
	}
	if !ok {
		from, ok = day(arg)
		to = from
	}
	if ok && to.Before(from) { // read, but the wrong way round: say so rather than "unreadable"
		return bot.Leave{}, refuse(bot.CodeInvalid, "leave", "reply.leave.reversed",
			words.Args{"from": s.leaveDay(from.Format(time.DateOnly)), "to": s.leaveDay(to.Format(time.DateOnly)),
				"swapped": to.Format(time.DateOnly) + ".." + from.Format(time.DateOnly)})
	}
	if !ok || to.Format(time.DateOnly) < today || to.Sub(from) > maxLeave*24*time.Hour {
		return bot.Leave{}, bad
	}
	return bot.Leave{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}, nil
}

// bareWeekday reports a weekday named alone ("wednesday", "周三").
func bareWeekday(text string) bool {
	text = strings.TrimSpace(text)
	if _, ok := weekdayWord(text); ok {
		return true
	}
	return zhBareWeekday.MatchString(text)
}

var zhBareWeekday = regexp.MustCompile(`^(?:周|星期|礼拜)[一二三四五六日天]$`)

// leaveWeek reads "下周" / "next week" as that week's Monday to Friday, and
// "本周" / "this week" as today to Friday.
func (s *session) leaveWeek(arg string) (from, to time.Time, ok bool) {
	today := s.now.In(s.loc())
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, s.loc())
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "下周", "下星期", "下个星期", "下礼拜", "next week":
		from = monday.AddDate(0, 0, 7)
	case "本周", "这周", "这星期", "这个星期", "this week":
		from = today
	default:
		return from, to, false
	}
	if from.Weekday() == time.Saturday || from.Weekday() == time.Sunday {
		return from, to, false
	}
	friday := from.AddDate(0, 0, (int(time.Friday)-int(from.Weekday())+7)%7)
	return from, friday, true
}

func leaveList(ls []bot.Leave) string {
	var out []string
	for _, l := range ls {
		if l.From == l.To {
			out = append(out, l.From)
		} else {
			out = append(out, l.From+".."+l.To)
		}
	}
	return strings.Join(out, ", ")
}

// tellCoordinators notifies the coordinator of each collaboration in
// which the person has open tasks or something falls due on them during
// the leave (dueDuring), and notes the leave on its timeline. It returns
// how many were told and what falls due, for the person's reply.
func (s *session) tellCoordinators(ctx context.Context, l bot.Leave) (int, []dueItem, error) {
	collabs, err := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID,
		Status: []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting}})
	if err != nil {
		return 0, nil, err
	}
	told := 0
	var all []dueItem
	for _, c := range collabs {
		due := s.dueDuring(c, l)
		all = append(all, due...)
		tasks := c.OpenTasksOf(s.person.ID)
		if (len(tasks) == 0 && len(due) == 0) || c.Coordinator == s.person.ID {
			continue
		}
		if len(tasks) > 0 && c.Status == bot.StatusAwaitingAck && len(due) == 0 {
			continue // as before: tasks are told once the work is under way
		}
		refs := []string{"—"}
		if len(tasks) > 0 {
			refs = refs[:0]
		}
		for _, t := range tasks {
			refs = append(refs, t.ID.String())
		}
		var lines []string
		for _, d := range due {
			lines = append(lines, d.param())
		}
		n := bot.Notice{Key: fmt.Sprintf("leave/%s/%s..%s/%s/@%s", s.person.ID, l.From, l.To, c.ID, c.Coordinator),
			Collab: c.ID, To: c.Coordinator, Kind: "leave_declared", Subject: string(s.person.ID), At: s.now,
			Params: map[string]string{"person": string(s.person.ID), "from": l.From, "to": l.To, "tasks": strings.Join(refs, ", ")}}
		if len(lines) > 0 {
			n.Params["due"] = strings.Join(lines, "\n")
		}
		if _, err := s.tx.Enqueue(ctx, n); err != nil {
			return told, all, err
		}
		if err := s.tx.Record(ctx, bot.TimelineEntry{Collab: c.ID, At: s.now, Actor: s.person.ID, Action: "leave_declared",
			Subject: string(s.person.ID), Note: l.From + ".." + l.To}); err != nil {
			return told, all, err
		}
		told++
	}
	return told, all, nil
}

// dueItem is something waiting on a person that falls due during their
// leave, when nobody will remind them: an acknowledgement they are the
// contact for, or a task they own.
type dueItem struct {
	kind   string // "ack" or "task"
	collab string // COL-n
	ref    string // the department, or T-n
	title  string // the task's
	due    string // YYYY-MM-DD HH:MM in the workspace's zone
}

// dueDuring lists what in c falls due on the person during l.
func (s *session) dueDuring(c *bot.Collaboration, l bot.Leave) []dueItem {
	within := func(t time.Time) bool {
		day := t.In(s.loc()).Format(time.DateOnly)
		return !t.IsZero() && l.From <= day && day <= l.To
	}
	var out []dueItem
	if p := s.e.Policy.For(c); c.Status == bot.StatusAwaitingAck && p.Acknowledgement.On {
		for _, a := range c.Acks {
			if a.Status != bot.AckPending || a.Contact != s.person.ID {
				continue
			}
			if due := s.e.Calendar.Add(a.AskedAt, p.Acknowledgement.After); within(due) {
				out = append(out, dueItem{kind: "ack", collab: c.ID.String(), ref: a.Department, due: s.stamp(due)})
			}
		}
	}
	for _, t := range c.OpenTasksOf(s.person.ID) {
		if within(t.Due) {
			out = append(out, dueItem{kind: "task", collab: c.ID.String(), ref: t.ID.String(), title: t.Title, due: s.stamp(t.Due)})
		}
	}
	return out
}

// param is the item as a notice parameter line (dueItemOf reads it).
func (d dueItem) param() string {
	return strings.Join([]string{d.kind, d.collab, d.ref, strings.ReplaceAll(d.title, "\t", " "), d.due}, "\t")
}

func dueItemOf(line string) (dueItem, bool) {
	f := strings.Split(line, "\t")
	if len(f) != 5 {
		return dueItem{}, false
	}
	return dueItem{kind: f[0], collab: f[1], ref: f[2], title: f[3], due: f[4]}, true
}

// text says what falls due and the commands that settle it.
func (d dueItem) text() bot.Text {
	a := words.Args{"collab": d.collab, "ref": d.ref, "title": d.title, "due": d.due}
	if d.kind == "ack" {
		return words.Text("reply.leave.due_ack", a)
	}
	return words.Text("reply.leave.due_task", a)
}

// tellLeaveCancelled traces a cancelled period on each timeline that
// recorded its declaration (and no cancellation since), and tells that
// collaboration's coordinator, who was told of the leave.
func (s *session) tellLeaveCancelled(ctx context.Context, l bot.Leave) (int, error) {
	collabs, err := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID,
		Status: []bot.CollabStatus{bot.StatusActive, bot.StatusAccepting, bot.StatusRetrospective}})
	if err != nil {
		return 0, err
	}
	told := 0
	for _, c := range collabs {
		declared, err := s.leaveDeclaredIn(ctx, c.ID, l)
		if err != nil || !declared {
			if err != nil {
				return told, err
			}
			continue
		}
		var refs []string
		for _, t := range c.OpenTasksOf(s.person.ID) {
			refs = append(refs, t.ID.String())
		}
		n := bot.Notice{Key: fmt.Sprintf("unleave/%s/%s..%s/%s/@%s/%d", s.person.ID, l.From, l.To, c.ID, c.Coordinator, s.now.Unix()),
			Collab: c.ID, To: c.Coordinator, Kind: "leave_cancelled", Subject: string(s.person.ID), At: s.now,
			Params: map[string]string{"person": string(s.person.ID), "from": l.From, "to": l.To, "tasks": strings.Join(refs, ", ")}}
		if _, err := s.tx.Enqueue(ctx, n); err != nil {
			return told, err
		}
		if err := s.tx.Record(ctx, bot.TimelineEntry{Collab: c.ID, At: s.now, Actor: s.person.ID, Action: "leave_cancelled",
			Subject: string(s.person.ID), Note: l.From + ".." + l.To}); err != nil {
			return told, err
		}
		told++
	}
	return told, nil
}

// leaveDeclaredIn reports whether the person's leave meeting l stands
// declared on the collaboration's timeline: the last of its leave
// entries that meets l is a declaration.
func (s *session) leaveDeclaredIn(ctx context.Context, id bot.CollabID, l bot.Leave) (bool, error) {
	entries, err := s.tx.Timeline(ctx, id)
	if err != nil {
		return false, err
	}
	declared := false
	for _, e := range entries {
		if e.Actor != s.person.ID || (e.Action != "leave_declared" && e.Action != "leave_cancelled") {
			continue
		}
		from, to, ok := strings.Cut(e.Note, "..")
		if ok && from <= l.To && l.From <= to {
			declared = e.Action == "leave_declared"
		}
	}
	return declared, nil
}

// cmdSettings shows the person's own settings, each line saying how to
// change it: the one place to look before asking why no reminder came.
func cmdSettings(ctx context.Context, s *session, _ input) error {
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	lines := []string{s.w("reply.settings.lang", nil)}
	if len(s.actor.Departments) == 0 {
		lines = append(lines, s.w("reply.iam.none", nil))
	} else {
		lines = append(lines, s.w("reply.iam.shown", words.Args{"name": s.person.Name, "departments": strings.Join(s.actor.Departments, ", ")}))
	}
	if s.now.Before(st.SnoozeUntil) {
		lines = append(lines, s.w("reply.snooze.until", words.Args{"until": s.stamp(st.SnoozeUntil)}))
	} else {
		lines = append(lines, s.w("reply.snooze.none", nil))
	}
	if st.Quiet.IsSet() {
		lines = append(lines, s.w("reply.quiet.shown", words.Args{"from": clockText(st.Quiet.From), "to": clockText(st.Quiet.To)}))
	} else {
		lines = append(lines, s.w("reply.quiet.none", nil))
	}
	today := s.today()
	if leave := slices.DeleteFunc(slices.Clone(st.Leave), func(l bot.Leave) bool { return l.To < today }); len(leave) > 0 {
		lines = append(lines, s.w("reply.leave.list", words.Args{"leave": leaveList(leave)}))
	} else {
		lines = append(lines, s.w("reply.leave.none", nil))
	}
	s.reply(bot.Reply{Title: s.w("reply.settings.title", nil), Body: "• " + strings.Join(lines, "\n• ")})
	return nil
}

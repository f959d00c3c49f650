package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
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
	name, canonical, err := scheduler.ParseOverride(timer, value)
	if err != nil {
		return bot.RefuseField(bot.CodeInvalid, "timer",
			fmt.Sprintf("无法设置提醒:%v。用法:`提醒 COL-3 关` / `提醒 COL-3 daily_progress 18:00` / `提醒 COL-3 acknowledgement 2bd`。", err),
			fmt.Sprintf("Cannot set that reminder: %v. Usage: `remind COL-3 off` / `remind COL-3 daily_progress 18:00` / `remind COL-3 acknowledgement 2bd`.", err))
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.SetReminder(s.actor, name, canonical, s.now) })
	if err != nil {
		return err
	}
	s.showReminders(c)
	return nil
}

// timerNames name the timers for people, in the order Settings lists them.
var timerNames = map[string]bot.Text{
	"acknowledgement":      {ZH: "对接确认", EN: "Acknowledgement"},
	"agenda":               {ZH: "会前议程", EN: "Agenda before meetings"},
	"minutes":              {ZH: "会议纪要", EN: "Minutes after meetings"},
	"minutes_confirmation": {ZH: "纪要确认", EN: "Minutes confirmation"},
	"daily_progress":       {ZH: "每日进度", EN: "Daily progress"},
	"task_due":             {ZH: "任务逾期上报", EN: "Overdue tasks escalated"},
	"risk_response":        {ZH: "风险响应", EN: "Risk response"},
	"acceptance":           {ZH: "验收", EN: "Acceptance"},
	"retrospective":        {ZH: "复盘", EN: "Retrospective"},
	"weekly_summary":       {ZH: "每周进度", EN: "Weekly board"},
}

var weekdayNames = []bot.Text{{ZH: "周日", EN: "Sunday"}, {ZH: "周一", EN: "Monday"}, {ZH: "周二", EN: "Tuesday"},
	{ZH: "周三", EN: "Wednesday"}, {ZH: "周四", EN: "Thursday"}, {ZH: "周五", EN: "Friday"}, {ZH: "周六", EN: "Saturday"}}

// showReminders lists every timer of the collaboration with its value,
// whether it is on, and whether the collaboration set it itself.
func (s *session) showReminders(c *bot.Collaboration) {
	var b strings.Builder
	for _, st := range s.e.Policy.For(c).Settings() {
		value := st.Value
		if st.Weekly {
			value = weekdayNames[st.Day].In(s.lang) + " " + value
		}
		if !st.Clock {
			if span, err := calendar.ParseSpan(st.Value); err == nil {
				value = s.spanText(span)
			}
		}
		on := s.tr("开", "on")
		if !st.On {
			on = s.tr("关", "off")
		}
		own := ""
		if _, set := c.Reminders[st.Timer]; set {
			own = s.tr("(本协作设置)", " (set here)")
		}
		fmt.Fprintf(&b, "• %s `%s`%s%s · %s%s\n", timerNames[st.Timer].In(s.lang), st.Timer, s.tr(":", ": "), value, on, own)
	}
	b.WriteString(s.tr("调整:`提醒 %s <名称> <值>`(如 `提醒 %s daily_progress 18:00`),`提醒 %s 关` 全部关闭。",
		"Change one with `remind %s <name> <value>` (e.g. `remind %s daily_progress 18:00`); `remind %s off` turns them all off.", c.ID, c.ID, c.ID))
	s.reply(bot.Reply{Title: s.tr("%s 的提醒", "Reminders of %s", c.ID), Body: b.String()})
}

// spanText writes a timer's span as people say it: "1 个工作日",
// "9 business hours", "24 小时".
func (s *session) spanText(sp calendar.Span) string { return spanText(sp).In(s.lang) }

func spanText(sp calendar.Span) bot.Text {
	plural := func(n int, en string) string {
		if n == 1 {
			return en
		}
		return en + "s"
	}
	switch sp.Unit {
	case calendar.BusinessDays:
		return bot.Text{ZH: fmt.Sprintf("%d 个工作日", sp.N), EN: fmt.Sprintf("%d %s", sp.N, plural(sp.N, "business day"))}
	case calendar.BusinessHours:
		return bot.Text{ZH: fmt.Sprintf("%d 个工作小时", sp.N), EN: fmt.Sprintf("%d %s", sp.N, plural(sp.N, "business hour"))}
	}
	switch d := sp.D; {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		n := int(d / (24 * time.Hour))
		return bot.Text{ZH: fmt.Sprintf("%d 天", n), EN: fmt.Sprintf("%d %s", n, plural(n, "day"))}
	case d >= time.Hour && d%time.Hour == 0:
		n := int(d / time.Hour)
		return bot.Text{ZH: fmt.Sprintf("%d 小时", n), EN: fmt.Sprintf("%d %s", n, plural(n, "hour"))}
	default:
		n := int(d / time.Minute)
		return bot.Text{ZH: fmt.Sprintf("%d 分钟", n), EN: fmt.Sprintf("%d %s", n, plural(n, "minute"))}
	}
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
			s.say("你的提醒暂停到 %s。发送 `免打扰 关` 恢复。", "Your reminders are held until %s. Send `snooze off` to resume.", s.stamp(st.SnoozeUntil))
		} else {
			s.say("没有暂停提醒。用法:`免打扰 2h` 或 `免打扰 到 2026-03-09`。", "Reminders are not snoozed. Usage: `snooze 2h` or `snooze until 2026-03-09`.")
		}
		return nil
	case "off", "关", "关闭", "cancel", "取消":
		st.SnoozeUntil = time.Time{}
		if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
			return err
		}
		s.say("已恢复提醒。", "Reminders are back on.")
		return nil
	}
	until, err := s.snoozeUntil(arg)
	if err != nil {
		return err
	}
	st.SnoozeUntil = until
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	s.say("好的,%s 前不打扰你;期间到期的提醒在那之后发送。", "OK: no reminders until %s; whatever falls due meanwhile comes after that.", s.stamp(until))
	return nil
}

// snoozeUntil reads "2h", "30m", "1bd", "until 2026-03-09 [14:00]", "到 …".
func (s *session) snoozeUntil(arg string) (time.Time, error) {
	bad := bot.RefuseField(bot.CodeInvalid, "snooze",
		"看不懂这个时间。用法:`免打扰 2h`、`免打扰 1bd` 或 `免打扰 到 2026-03-09`(最长 7 天,更久请用 `请假`)。",
		"I could not read that. Usage: `snooze 2h`, `snooze 1bd` or `snooze until 2026-03-09` (at most 7 days; use `leave` for longer).")
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
	today := s.now.In(s.loc()).Format(time.DateOnly)
	// Past leave is history; keep only what still matters.
	st.Leave = slices.DeleteFunc(st.Leave, func(l bot.Leave) bool { return l.To < today })
	arg := strings.ToLower(strings.TrimSpace(in.rest))
	switch arg {
	case "":
		if len(st.Leave) == 0 {
			s.say("没有登记请假。用法:`请假 2026-03-09..2026-03-13`。", "No leave declared. Usage: `leave 2026-03-09..2026-03-13`.")
			return nil
		}
		s.say("已登记的请假:%s", "Declared leave: %s", leaveList(st.Leave))
		return nil
	case "off", "cancel", "取消", "销假":
		st.Leave = nil
		if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
			return err
		}
		s.say("已取消请假,提醒照常。", "Leave cancelled; reminders as usual.")
		return nil
	}
	l, err := parseLeave(arg, today)
	if err != nil {
		return err
	}
	st.Leave = append(st.Leave, l)
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	told, err := s.tellCoordinators(ctx, l)
	if err != nil {
		return err
	}
	s.say("已登记请假 %s 至 %s:期间不会给你发提醒。已通知 %d 个协作的总协调人。", "Leave from %s to %s declared: no reminders for you then. Told the coordinators of %d collaboration(s).", l.From, l.To, told)
	return nil
}

// cmdEndLeave is 销假: what people say when they are back early.
func cmdEndLeave(ctx context.Context, s *session, _ input) error {
	return cmdLeave(ctx, s, input{args: []string{"off"}, rest: "off"})
}

func parseLeave(arg, today string) (bot.Leave, error) {
	bad := bot.RefuseField(bot.CodeInvalid, "leave",
		"请假日期格式:`请假 2026-03-09..2026-03-13` 或 `请假 2026-03-09`;不能早于今天,最长 92 天。",
		"Write leave as `leave 2026-03-09..2026-03-13` or `leave 2026-03-09`; not before today, at most 92 days.")
	from, to, found := strings.Cut(arg, "..")
	if !found {
		from, to, found = strings.Cut(arg, "至")
	}
	if !found {
		to = from
	}
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || b.Before(a) || to < today || b.Sub(a) > maxLeave*24*time.Hour {
		return bot.Leave{}, bad
	}
	return bot.Leave{From: from, To: to}, nil
}

func leaveList(ls []bot.Leave) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.From+".."+l.To)
	}
	return strings.Join(out, ", ")
}

// tellCoordinators notifies the coordinator of each collaboration in
// which the person has open tasks, and notes the leave on its timeline.
func (s *session) tellCoordinators(ctx context.Context, l bot.Leave) (int, error) {
	collabs, err := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID, OpenTasks: true,
		Status: []bot.CollabStatus{bot.StatusActive, bot.StatusAccepting}})
	if err != nil {
		return 0, err
	}
	told := 0
	for _, c := range collabs {
		tasks := c.OpenTasksOf(s.person.ID)
		if len(tasks) == 0 || c.Coordinator == s.person.ID {
			continue
		}
		var refs []string
		for _, t := range tasks {
			refs = append(refs, t.ID.String())
		}
		n := bot.Notice{Key: fmt.Sprintf("leave/%s/%s..%s/%s/@%s", s.person.ID, l.From, l.To, c.ID, c.Coordinator),
			Collab: c.ID, To: c.Coordinator, Kind: "leave_declared", Subject: string(s.person.ID), At: s.now,
			Params: map[string]string{"person": string(s.person.ID), "from": l.From, "to": l.To, "tasks": strings.Join(refs, ", ")}}
		if _, err := s.tx.Enqueue(ctx, n); err != nil {
			return told, err
		}
		if err := s.tx.Record(ctx, bot.TimelineEntry{Collab: c.ID, At: s.now, Actor: s.person.ID, Action: "leave_declared",
			Subject: string(s.person.ID), Note: l.From + ".." + l.To}); err != nil {
			return told, err
		}
		told++
	}
	return told, nil
}

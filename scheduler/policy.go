package scheduler

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// Policy is how each timer is set: the workspace's configuration, which a
// collaboration can tune for itself ([Policy.For]).
type Policy struct {
	Acknowledgement Escalating
	// NeedsInfo chases a department's question (需补充信息) the requester
	// has not answered; Review the requesting department head's first
	// review (需求初审). Process.md names no deadline: a business day
	// each, like the acknowledgement, and another to escalate.
	NeedsInfo           Escalating
	Review              Escalating
	Agenda              Deadline // After is how long before the meeting
	Minutes             Escalating
	MinutesConfirmation Deadline
	DailyProgress       Daily
	TaskDue             Escalating // After is unused: the task's due date is the deadline
	RiskResponse        Deadline
	Acceptance          Escalating // also chases a failed acceptance's rework: on/off and EscalateAfter
	Retrospective       Deadline
	WeeklySummary       Weekly
	// WeeklyDigest is the workspace's, not a collaboration's: `remind`
	// does not tune it.
	WeeklyDigest Weekly
	// TaskConfirmation is the department head's confirmation of a new
	// task: On switches the step itself for the workspace (a
	// collaboration's coordinator may switch it for theirs); the head is
	// reminded After the task was planned and the coordinator told
	// EscalateAfter that. Not tuned by `remind`: it is a step, not a
	// reminder.
	TaskConfirmation Escalating
	// Signoff chases the heads' signatures of the goal consensus,
	// PlanSubmission the departments' plans and PlanDecision the decision
	// maker's approval; Workflow says whether the workspace runs those
	// steps (a collaboration's coordinator may switch them for theirs).
	Signoff        Escalating
	PlanSubmission Escalating
	PlanDecision   Escalating
	Workflow       bot.Workflow
	// MeetingHoliday is what a new recurring meeting does with an
	// occurrence on a day off (skip by default); each series keeps its own.
	MeetingHoliday bot.HolidayRule
	// ResourceReturn chases a lent resource's end (types.go): After is
	// how long before it, EscalateAfter how long after it.
	ResourceReturn Escalating
	// ReadReceipt chases an alignment's unconfirmed departments.
	ReadReceipt ReadChase
	// Resolution chases a problem past its resolution date (期望解决时间):
	// After it, the responsible departments' contacts; EscalateAfter
	// that, those above them.
	Resolution Escalating
}

// Deadline fires After something happened.
type Deadline struct {
	On    bool
	After calendar.Span
}

// Escalating fires After something happened, and escalates EscalateAfter
// that deadline.
type Escalating struct {
	On            bool
	After         calendar.Span
	EscalateAfter calendar.Span
}

// Daily fires at a time of day on every business day.
type Daily struct {
	On        bool
	At        time.Duration // since midnight, in the workspace's zone
	SummaryAt time.Duration
	// Grace is how late a missed request may still go out; later, the
	// day is skipped rather than asking for "today's" progress at night.
	Grace calendar.Span
}

// Weekly fires once a week, on the first business day from Day on.
type Weekly struct {
	On  bool
	Day time.Weekday
	At  time.Duration
}

// DefaultPolicy is process.md's defaults, as config.DefaultTimers.
func DefaultPolicy() Policy {
	bd := func(n int) calendar.Span { return calendar.Span{N: n, Unit: calendar.BusinessDays} }
	bh := func(n int) calendar.Span { return calendar.Span{N: n, Unit: calendar.BusinessHours} }
	h := func(n int) calendar.Span { return calendar.Span{D: time.Duration(n) * time.Hour} }
	p := Policy{
		Acknowledgement:     Escalating{On: true, After: bd(1), EscalateAfter: bh(4)},
		NeedsInfo:           Escalating{On: true, After: bd(1), EscalateAfter: bd(1)},
		Review:              Escalating{On: true, After: bd(1), EscalateAfter: bd(1)},
		Agenda:              Deadline{On: true, After: h(24)},
		Minutes:             Escalating{On: true, After: h(2), EscalateAfter: bh(4)},
		MinutesConfirmation: Deadline{On: true, After: bd(1)},
		DailyProgress:       Daily{On: true, At: 17 * time.Hour, SummaryAt: 18 * time.Hour, Grace: h(2)},
		TaskDue:             Escalating{On: true, EscalateAfter: bd(1)},
		RiskResponse:        Deadline{On: true, After: bh(9)},
		Acceptance:          Escalating{On: true, After: bd(3), EscalateAfter: bd(1)},
		Retrospective:       Deadline{On: true, After: bd(3)},
		WeeklySummary:       Weekly{On: true, Day: time.Monday, At: 10 * time.Hour},
		WeeklyDigest:        Weekly{On: true, Day: time.Monday, At: 9*time.Hour + 30*time.Minute},
		TaskConfirmation:    Escalating{On: false, After: bd(1), EscalateAfter: bh(4)},
		Signoff:             Escalating{On: true, After: bd(1), EscalateAfter: bh(4)},
		PlanSubmission:      Escalating{On: true, After: bd(2), EscalateAfter: bd(1)},
		PlanDecision:        Escalating{On: true, After: bd(1), EscalateAfter: bh(4)},
	}
	typeDefaults(&p)
	return p
}

// A timer's names, as configuration and `remind COL-n <timer> <value>` use
// them, with the setting a value tunes.
type tunable struct {
	name  string
	clock bool // the value is a time of day, not a span
	on    func(*Policy) *bool
	value func(*Policy) any // *calendar.Span or *time.Duration
}

var tunables = []tunable{
	{"acknowledgement", false, func(p *Policy) *bool { return &p.Acknowledgement.On }, func(p *Policy) any { return &p.Acknowledgement.After }},
	{"agenda", false, func(p *Policy) *bool { return &p.Agenda.On }, func(p *Policy) any { return &p.Agenda.After }},
	{"minutes", false, func(p *Policy) *bool { return &p.Minutes.On }, func(p *Policy) any { return &p.Minutes.After }},
	{"minutes_confirmation", false, func(p *Policy) *bool { return &p.MinutesConfirmation.On }, func(p *Policy) any { return &p.MinutesConfirmation.After }},
	{"daily_progress", true, func(p *Policy) *bool { return &p.DailyProgress.On }, func(p *Policy) any { return &p.DailyProgress.At }},
	{"task_due", false, func(p *Policy) *bool { return &p.TaskDue.On }, func(p *Policy) any { return &p.TaskDue.EscalateAfter }},
	{"risk_response", false, func(p *Policy) *bool { return &p.RiskResponse.On }, func(p *Policy) any { return &p.RiskResponse.After }},
	{"acceptance", false, func(p *Policy) *bool { return &p.Acceptance.On }, func(p *Policy) any { return &p.Acceptance.After }},
	{"retrospective", false, func(p *Policy) *bool { return &p.Retrospective.On }, func(p *Policy) any { return &p.Retrospective.After }},
	{"weekly_summary", true, func(p *Policy) *bool { return &p.WeeklySummary.On }, func(p *Policy) any { return &p.WeeklySummary.At }},
	{"review", false, func(p *Policy) *bool { return &p.Review.On }, func(p *Policy) any { return &p.Review.After }},
	{"needs_info", false, func(p *Policy) *bool { return &p.NeedsInfo.On }, func(p *Policy) any { return &p.NeedsInfo.After }},
}

// Timers lists the names a collaboration's reminders can be tuned by.
func Timers() []string {
	names := make([]string, len(tunables))
	for i, t := range tunables {
		names[i] = t.name
	}
	return names
}

// timerSteps is the step whose waiting each timer chases: a timer is
// listed and tuned only for a collaboration that runs its step (c.Has).
// A timer not named here (risk_response: any collaboration may raise a
// risk) applies to every collaboration.
var timerSteps = map[string]string{
	"acknowledgement": bot.StepAcknowledgement, "needs_info": bot.StepAcknowledgement, "review": bot.StepReview,
	"agenda": bot.StepPlan, "minutes": bot.StepPlan, "minutes_confirmation": bot.StepPlan, "daily_progress": bot.StepPlan,
	"task_due": bot.StepPlan, "weekly_summary": bot.StepPlan,
	"acceptance": bot.StepAcceptance, "retrospective": bot.StepRetrospective,
	"signoff": bot.StepSignoff, "plan_submission": bot.StepPlanApproval, "plan_decision": bot.StepPlanApproval,
	"resource_return": bot.StepReturn, "resolution": bot.StepResolution, "read_receipt": bot.StepReadReceipt,
}

// Applies reports whether timer chases a step c runs.
func Applies(c *bot.Collaboration, timer string) bool {
	step, ok := timerSteps[timer]
	return !ok || c.Has(step)
}

// TimersOf lists the timers of c's steps, in the order of Timers.
func TimersOf(c *bot.Collaboration) []string {
	var names []string
	for _, t := range tunables {
		if Applies(c, t.name) {
			names = append(names, t.name)
		}
	}
	return names
}

// Setting is one timer as it stands: on or off, and its value in the
// canonical form `remind` takes ("1bd", "17:00").
type Setting struct {
	Timer string
	On    bool
	Value string
	Clock bool // Value is a time of day
	// Weekly is set for the weekly board: Day is its weekday.
	Weekly bool
	Day    time.Weekday
}

// Settings lists every timer of p, in the order of Timers.
func (p Policy) Settings() []Setting {
	out := make([]Setting, len(tunables))
	for i, t := range tunables {
		out[i] = Setting{Timer: t.name, On: *t.on(&p), Clock: t.clock}
		if t.name == "weekly_summary" {
			out[i].Weekly, out[i].Day = true, p.WeeklySummary.Day
		}
		switch v := t.value(&p).(type) {
		case *time.Duration:
			out[i].Value = fmt.Sprintf("%02d:%02d", int(v.Hours()), int(v.Minutes())%60)
		case *calendar.Span:
			out[i].Value = v.String()
		}
	}
	return out
}

// SettingsOf lists the timers of p that c's steps use (TimersOf).
func (p Policy) SettingsOf(c *bot.Collaboration) []Setting {
	var out []Setting
	for _, st := range p.Settings() {
		if Applies(c, st.Timer) {
			out = append(out, st)
		}
	}
	return out
}

// aliases are what people type for a timer, in both languages.
var aliases = map[string]string{
	"ack": "acknowledgement", "确认": "acknowledgement", "对接确认": "acknowledgement",
	"初审": "review", "需求初审": "review", "question": "needs_info", "info": "needs_info", "需补充信息": "needs_info", "补充信息": "needs_info",
	"议程": "agenda", "纪要": "minutes", "纪要确认": "minutes_confirmation", "confirmation": "minutes_confirmation",
	"progress": "daily_progress", "daily": "daily_progress", "进度": "daily_progress", "日报": "daily_progress",
	"due": "task_due", "overdue": "task_due", "任务": "task_due", "逾期": "task_due", "任务逾期上报": "task_due", // its name until it said all it switches
	"risk": "risk_response", "风险": "risk_response", "验收": "acceptance", "retro": "retrospective", "复盘": "retrospective",
	"weekly": "weekly_summary", "周报": "weekly_summary", "全部": bot.AllReminders, "所有": bot.AllReminders,
	"首次响应": "acknowledgement", "response": "acknowledgement",
	"return": "resource_return", "归还": "resource_return", "资源归还": "resource_return",
	"resolve": "resolution", "解决": "resolution", "问题解决": "resolution",
	"read": "read_receipt", "已阅": "read_receipt", "阅读回执": "read_receipt",
}

// OverrideError is a `remind` setting refused: Kind says why, for the
// words the user reads (the engine's), Error for the log.
type OverrideError struct {
	Kind  string // "timer" (no such timer), "switch" (all: on/off only), "value" (a span), "clock" (a time of day)
	Timer string
	Value string
	err   error
}

func (e *OverrideError) Error() string { return e.err.Error() }
func (e *OverrideError) Unwrap() error { return e.err }

// ParseOverrideFor is ParseOverride for one collaboration: a timer its
// steps do not use (TimersOf) is refused like one that does not exist.
func ParseOverrideFor(c *bot.Collaboration, timer, value string) (name, canonical string, err error) {
	// The timer first: one this collaboration lacks is refused as such,
	// whatever its value.
	if name, _, err := ParseOverride(timer, "on"); err == nil && name != bot.AllReminders && !Applies(c, name) {
		return "", "", &OverrideError{Kind: "timer", Timer: timer,
			err: fmt.Errorf("no timer called %q for %s (timers: %s)", timer, c.ID, strings.Join(TimersOf(c), ", "))}
	}
	return ParseOverride(timer, value)
}

// ParseOverride checks one `remind` setting and returns it in canonical
// form: the timer's name and "off", "on" or a value it accepts.
func ParseOverride(timer, value string) (name, canonical string, err error) {
	name = strings.ToLower(strings.TrimSpace(timer))
	if a, ok := aliases[name]; ok {
		name = a
	}
	value = strings.ToLower(strings.TrimSpace(value))
	switch value {
	case "off", "关", "关闭", "停":
		value = "off"
	case "on", "开", "开启", "恢复":
		value = "on"
	}
	if name == bot.AllReminders {
		if value != "on" && value != "off" {
			return "", "", &OverrideError{Kind: "switch", Timer: name, Value: value,
				err: fmt.Errorf("all reminders can only be switched on or off, not %q", value)}
		}
		return name, value, nil
	}
	i := slices.IndexFunc(tunables, func(t tunable) bool { return t.name == name })
	if i < 0 {
		return "", "", &OverrideError{Kind: "timer", Timer: timer,
			err: fmt.Errorf("no timer called %q (timers: %s)", timer, strings.Join(Timers(), ", "))}
	}
	if value == "on" || value == "off" {
		return name, value, nil
	}
	var p Policy
	if err := set(tunables[i], &p, value); err != nil {
		kind := "value"
		if tunables[i].clock {
			kind = "clock"
		}
		return "", "", &OverrideError{Kind: kind, Timer: name, Value: value, err: err}
	}
	return name, value, nil
}

func set(t tunable, p *Policy, value string) error {
	switch v := t.value(p).(type) {
	case *time.Duration:
		d, err := parseClock(value)
		if err != nil {
			return err
		}
		*v = d
	case *calendar.Span:
		s, err := calendar.ParseSpan(value)
		if err != nil {
			return err
		}
		if s.IsZero() || s.D < 0 || s.N < 0 {
			return fmt.Errorf("%s needs a positive delay like 4h or 2bd, not %q", t.name, value)
		}
		*v = s
	}
	return nil
}

func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time of day like 17:30", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// For is the policy of one collaboration: the workspace's, with the
// collaboration's own settings applied. A setting that no longer parses
// (the timer was renamed) is ignored rather than stopping every reminder.
func (p Policy) For(c *bot.Collaboration) Policy {
	if len(c.Reminders) == 0 {
		return p
	}
	out := p
	if c.Reminders[bot.AllReminders] == "off" {
		for _, t := range tunables {
			*t.on(&out) = false
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Reminders)) {
		i := slices.IndexFunc(tunables, func(t tunable) bool { return t.name == name })
		if i < 0 {
			continue
		}
		switch v := c.Reminders[name]; v {
		case "off":
			*tunables[i].on(&out) = false
		case "on":
		default:
			if set(tunables[i], &out, v) == nil {
				*tunables[i].on(&out) = true
			}
		}
	}
	return out
}

package config

import "time"

// Timers are the deadlines the scheduler chases (process.md, "Timers at a
// glance"). Each has an Enabled switch so an organisation can drop a
// reminder it does not want without losing the others. Escalation
// recipients are fixed by the process; only the delays are configurable.
type Timers struct {
	// Acknowledgement: the department contact answers within After of
	// submission; EscalateAfter past that deadline the head and the
	// coordinator are told.
	Acknowledgement EscalatingTimer `yaml:"acknowledgement"`
	// Agenda: Before the meeting starts the agenda goes to the attendees,
	// or the organiser is nudged to write one.
	Agenda AgendaTimer `yaml:"agenda"`
	// Minutes: due After the meeting ends; EscalateAfter later the
	// coordinator is told.
	Minutes EscalatingTimer `yaml:"minutes"`
	// MinutesConfirmation: attendees confirm within After of the minutes.
	MinutesConfirmation DeadlineTimer `yaml:"minutes_confirmation"`
	// DailyProgress: owners without an update are asked At each business
	// day; the coordinator gets who is missing at SummaryAt.
	DailyProgress DailyTimer `yaml:"daily_progress"`
	// TaskDue: owner and coordinator are told on the due date; the
	// department head EscalateAfter it is overdue.
	TaskDue OverdueTimer `yaml:"task_due"`
	// RiskResponse: the responsible owner responds within After of filing
	// (high severity goes to leadership at once regardless).
	RiskResponse DeadlineTimer `yaml:"risk_response"`
	// Acceptance: the requester decides within After of delivery;
	// EscalateAfter later the coordinator is told.
	Acceptance EscalatingTimer `yaml:"acceptance"`
	// Retrospective: the coordinator writes it within After of acceptance.
	Retrospective DeadlineTimer `yaml:"retrospective"`
	// ResourceReturn: a lent resource (资源协调申请) is reminded to the
	// borrower and the lender After before its end, and escalated to the
	// heads and the coordinator EscalateAfter the end.
	ResourceReturn EscalatingTimer `yaml:"resource_return"`
	// Resolution: a problem (问题协同解决) not solved by its 期望解决时间
	// is reminded to the contacts of the departments that took it on at
	// that time, and escalated EscalateAfter it.
	Resolution OverdueTimer `yaml:"resolution"`
	// ReadReceipt: an alignment's (信息同步对齐) unconfirmed departments
	// are chased At each business day until its deadline.
	ReadReceipt ChaseTimer `yaml:"read_receipt"`
	// WeeklySummary: the progress board goes to each group on Weekday At.
	WeeklySummary WeeklyTimer `yaml:"weekly_summary"`
	// WeeklyDigest: each department head gets their department's figures
	// and the week's overdue and needs-help tasks, leadership every
	// department's side by side, on Weekday At.
	WeeklyDigest WeeklyTimer `yaml:"weekly_digest"`
	// TaskConfirmation: Enabled sends a new task to its department's
	// head to confirm or reassign before the owner is told (seed 001);
	// the head is reminded After it was planned, the coordinator told
	// EscalateAfter that. Off by default.
	TaskConfirmation EscalatingTimer `yaml:"task_confirmation"`
	// Signoff chases a head who has not signed the goal consensus: the
	// head After it was asked, the coordinator and the requesting
	// department's head EscalateAfter that (the step: process.signoff).
	Signoff EscalatingTimer `yaml:"signoff"`
	// PlanSubmission chases a department's plan not submitted (or not
	// revised after a return): the contact, then the department's head
	// and the coordinator. PlanDecision chases the decision maker, then
	// the coordinator and leadership (the step: process.plan_approval).
	PlanSubmission EscalatingTimer `yaml:"plan_submission"`
	PlanDecision   EscalatingTimer `yaml:"plan_decision"`
	// NeedsInfo: a department's question (需补充信息) is reminded to the
	// requester After it was asked; EscalateAfter later the coordinator
	// is told (the requesting department's head when the requester
	// coordinates).
	NeedsInfo EscalatingTimer `yaml:"needs_info"`
	// Review: a request pending first review (需求初审) is reminded to the
	// requesting department's head After submission; EscalateAfter later
	// the requester is told.
	Review EscalatingTimer `yaml:"review"`
}

// DeadlineTimer fires After an event.
type DeadlineTimer struct {
	Enabled bool `yaml:"enabled"`
	After   Span `yaml:"after"`
}

// EscalatingTimer fires After an event and escalates EscalateAfter the
// deadline has passed.
type EscalatingTimer struct {
	Enabled       bool `yaml:"enabled"`
	After         Span `yaml:"after"`
	EscalateAfter Span `yaml:"escalate_after"`
}

// AgendaTimer fires Before a meeting.
type AgendaTimer struct {
	Enabled bool `yaml:"enabled"`
	Before  Span `yaml:"before"`
	// OnHoliday is what a recurring meeting does with an occurrence that
	// falls on a day off: skip (the default) or move (next business day).
	OnHoliday string `yaml:"on_holiday"`
}

// OverdueTimer fires on a due date and escalates EscalateAfter it.
type OverdueTimer struct {
	Enabled       bool `yaml:"enabled"`
	EscalateAfter Span `yaml:"escalate_after"`
}

// DailyTimer fires at a clock time on every business day.
type DailyTimer struct {
	Enabled   bool  `yaml:"enabled"`
	At        Clock `yaml:"at"`
	SummaryAt Clock `yaml:"summary_at"`
	// Grace is how late a missed tick (downtime, restart) may still send
	// today's request; after it the day is skipped rather than asking for
	// "today's" progress in the evening.
	Grace Span `yaml:"grace"`
}

// ChaseTimer fires at a clock time on every business day until a deadline.
type ChaseTimer struct {
	Enabled bool  `yaml:"enabled"`
	At      Clock `yaml:"at"`
}

// WeeklyTimer fires once a week.
type WeeklyTimer struct {
	Enabled bool    `yaml:"enabled"`
	Weekday Weekday `yaml:"weekday"`
	At      Clock   `yaml:"at"`
}

// DefaultTimers are process.md's defaults. The escalation delays the
// process leaves open are chosen here: half a business day (4 business
// hours) for an acknowledgement and for minutes, one business day for an
// acceptance decision; a question back to the requester and a first
// review, which it does not time, get a business day like the
// acknowledgement, and another before they escalate.
func DefaultTimers() Timers {
	return Timers{
		Acknowledgement:     EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("4bh")},
		NeedsInfo:           EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("1bd")},
		Review:              EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("1bd")},
		Agenda:              AgendaTimer{Enabled: true, Before: mustSpan("24h")},
		Minutes:             EscalatingTimer{Enabled: true, After: mustSpan("2h"), EscalateAfter: mustSpan("4bh")},
		MinutesConfirmation: DeadlineTimer{Enabled: true, After: mustSpan("1bd")},
		DailyProgress:       DailyTimer{Enabled: true, At: mustClock("17:00"), SummaryAt: mustClock("18:00"), Grace: mustSpan("2h")},
		TaskDue:             OverdueTimer{Enabled: true, EscalateAfter: mustSpan("1bd")},
		RiskResponse:        DeadlineTimer{Enabled: true, After: mustSpan("9bh")},
		Acceptance:          EscalatingTimer{Enabled: true, After: mustSpan("3bd"), EscalateAfter: mustSpan("1bd")},
		Retrospective:       DeadlineTimer{Enabled: true, After: mustSpan("3bd")},
		ResourceReturn:      EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("1bd")},
		Resolution:          OverdueTimer{Enabled: true, EscalateAfter: mustSpan("1bd")},
		ReadReceipt:         ChaseTimer{Enabled: true, At: mustClock("10:00")},
		WeeklySummary:       WeeklyTimer{Enabled: true, Weekday: Weekday{Day: time.Monday, raw: raw{text: "mon"}}, At: mustClock("10:00")},
		WeeklyDigest:        WeeklyTimer{Enabled: true, Weekday: Weekday{Day: time.Monday, raw: raw{text: "mon"}}, At: mustClock("09:30")},
		TaskConfirmation:    EscalatingTimer{Enabled: false, After: mustSpan("1bd"), EscalateAfter: mustSpan("4bh")},
		Signoff:             EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("4bh")},
		PlanSubmission:      EscalatingTimer{Enabled: true, After: mustSpan("2bd"), EscalateAfter: mustSpan("1bd")},
		PlanDecision:        EscalatingTimer{Enabled: true, After: mustSpan("1bd"), EscalateAfter: mustSpan("4bh")},
	}
}

// timerValue is one parsable value inside Timers, named by its YAML path.
type timerValue struct {
	key   string
	value interface {
		parse() error
		Line() int
	}
}

// values lists every value of every timer so validation can parse them all
// and name the one that is wrong.
func (t *Timers) values() []timerValue {
	return []timerValue{
		{"timers.acknowledgement.after", &t.Acknowledgement.After},
		{"timers.acknowledgement.escalate_after", &t.Acknowledgement.EscalateAfter},
		{"timers.needs_info.after", &t.NeedsInfo.After},
		{"timers.needs_info.escalate_after", &t.NeedsInfo.EscalateAfter},
		{"timers.review.after", &t.Review.After},
		{"timers.review.escalate_after", &t.Review.EscalateAfter},
		{"timers.agenda.before", &t.Agenda.Before},
		{"timers.minutes.after", &t.Minutes.After},
		{"timers.minutes.escalate_after", &t.Minutes.EscalateAfter},
		{"timers.minutes_confirmation.after", &t.MinutesConfirmation.After},
		{"timers.daily_progress.at", &t.DailyProgress.At},
		{"timers.daily_progress.summary_at", &t.DailyProgress.SummaryAt},
		{"timers.daily_progress.grace", &t.DailyProgress.Grace},
		{"timers.task_due.escalate_after", &t.TaskDue.EscalateAfter},
		{"timers.task_confirmation.after", &t.TaskConfirmation.After},
		{"timers.task_confirmation.escalate_after", &t.TaskConfirmation.EscalateAfter},
		{"timers.signoff.after", &t.Signoff.After},
		{"timers.signoff.escalate_after", &t.Signoff.EscalateAfter},
		{"timers.plan_submission.after", &t.PlanSubmission.After},
		{"timers.plan_submission.escalate_after", &t.PlanSubmission.EscalateAfter},
		{"timers.plan_decision.after", &t.PlanDecision.After},
		{"timers.plan_decision.escalate_after", &t.PlanDecision.EscalateAfter},
		{"timers.risk_response.after", &t.RiskResponse.After},
		{"timers.acceptance.after", &t.Acceptance.After},
		{"timers.acceptance.escalate_after", &t.Acceptance.EscalateAfter},
		{"timers.retrospective.after", &t.Retrospective.After},
		{"timers.resource_return.after", &t.ResourceReturn.After},
		{"timers.resource_return.escalate_after", &t.ResourceReturn.EscalateAfter},
		{"timers.resolution.escalate_after", &t.Resolution.EscalateAfter},
		{"timers.read_receipt.at", &t.ReadReceipt.At},
		{"timers.weekly_summary.weekday", &t.WeeklySummary.Weekday},
		{"timers.weekly_summary.at", &t.WeeklySummary.At},
		{"timers.weekly_digest.weekday", &t.WeeklyDigest.Weekday},
		{"timers.weekly_digest.at", &t.WeeklyDigest.At},
	}
}

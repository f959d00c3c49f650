package record

import (
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The record sheet's labels, from the catalogue (internal/words, keys
// record.label.*). The Chinese labels are the sheet's own (跨部门沟通记录表
// and the forms of process.md), so a filled sheet reads like the paper one
// people already know.
var label = struct {
	Title, None, Generated, Bot                                                             bot.Text
	SecBasic, SecAck, SecMeetings, SecTasks, SecProgress, SecRisks                          bot.Text
	SecDelivery, SecRetro, SecTimeline, DeliveryList, AcceptanceResult                      bot.Text
	ID, Status, Topic, Requesting, Assisting, Coordinator, Goal                             bot.Text
	Requirements, Deliverables, Standard, Due, Scope, Cadence, RiskPlan                     bot.Text
	Review, Approved, Returned, Created, Submitted, Activated                               bot.Text
	Closed                                                                                  bot.Text
	Contact, AckScope, Resources, AckRisks, Reason, Alternative, Question, Recipient        bot.Text
	Answer, Answered                                                                        bot.Text
	Meeting, Organiser, Attendees, Agenda, Materials, Minutes, Decisions                    bot.Text
	Actions, MinutesRisks, Unconfirmed, MinutesNone, MinutesPending                         bot.Text
	MinutesConfirmed, Cancelled, MinutesUnit                                                bot.Text
	TaskTitle, Description, Department, Role, Owner, Collaborators                          bot.Text
	Start, TaskDue, TaskStatus, ShownStatus, Note, Source, Parent                           bot.Text
	LinkedRisks, DoneAt, Confirmation, ScheduleChanges                                      bot.Text
	Done, NotDone, Problems, Changes                                                        bot.Text
	RiskDescription, Severity, Impact, RiskOwner, Mitigation, ExpectedBy, RaisedBy          bot.Text
	Response, ResponseDue, Resolution, LinkedTasks                                          bot.Text
	Quantity, SelfCheck, By                                                                 bot.Text
	Verdict, Accepter, AcceptComments, Items, ItemsDue, Highlights, Improvements, FollowUps bot.Text
	Acks, Tasks, OpenRisks, Field, Value, Section, Item, Duration, MeetingTime              bot.Text
	BasicItem, TheGroup                                                                     bot.Text
}{
	Title:     words.Text("record.label.title", nil),
	None:      words.Text("record.label.none", nil),
	Generated: words.Text("record.label.generated", nil),
	Bot:       words.Text("record.label.bot", nil),

	SecBasic:         words.Text("record.label.sec_basic", nil),
	SecAck:           words.Text("record.label.sec_ack", nil),
	SecMeetings:      words.Text("record.label.sec_meetings", nil),
	SecTasks:         words.Text("record.label.sec_tasks", nil),
	SecProgress:      words.Text("record.label.sec_progress", nil),
	SecRisks:         words.Text("record.label.sec_risks", nil),
	SecDelivery:      words.Text("record.label.sec_delivery", nil),
	SecRetro:         words.Text("record.label.sec_retro", nil),
	SecTimeline:      words.Text("record.label.sec_timeline", nil),
	DeliveryList:     words.Text("record.label.delivery_list", nil),
	AcceptanceResult: words.Text("record.label.acceptance_result", nil),

	ID:           words.Text("record.label.id", nil),
	Status:       words.Text("record.label.status", nil),
	Topic:        words.Text("record.label.topic", nil),
	Requesting:   words.Text("record.label.requesting", nil),
	Assisting:    words.Text("record.label.assisting", nil),
	Coordinator:  words.Text("record.label.coordinator", nil),
	Goal:         words.Text("record.label.goal", nil),
	Requirements: words.Text("record.label.requirements", nil),
	Deliverables: words.Text("record.label.deliverables", nil),
	Standard:     words.Text("record.label.standard", nil),
	Due:          words.Text("record.label.due", nil),
	Scope:        words.Text("record.label.scope", nil),
	Cadence:      words.Text("record.label.cadence", nil),
	RiskPlan:     words.Text("record.label.risk_plan", nil),
	Review:       words.Text("record.label.review", nil),
	Approved:     words.Text("record.label.approved", nil),
	Returned:     words.Text("record.label.returned", nil),
	Created:      words.Text("record.label.created", nil),
	Submitted:    words.Text("record.label.submitted", nil),
	Activated:    words.Text("record.label.activated", nil),
	Closed:       words.Text("record.label.closed", nil),

	Contact:     words.Text("record.label.contact", nil),
	AckScope:    words.Text("record.label.ack_scope", nil),
	Resources:   words.Text("record.label.resources", nil),
	AckRisks:    words.Text("record.label.ack_risks", nil),
	Reason:      words.Text("record.label.reason", nil),
	Recipient:   words.Text("record.label.recipient", nil),
	Alternative: words.Text("record.label.alternative", nil),
	Question:    words.Text("record.label.question", nil),
	Answer:      words.Text("record.label.answer", nil),
	Answered:    words.Text("record.label.answered", nil),

	Meeting:          words.Text("record.label.meeting", nil),
	Organiser:        words.Text("record.label.organiser", nil),
	Attendees:        words.Text("record.label.attendees", nil),
	Agenda:           words.Text("record.label.agenda", nil),
	Materials:        words.Text("record.label.materials", nil),
	Minutes:          words.Text("record.label.minutes", nil),
	Decisions:        words.Text("record.label.decisions", nil),
	Actions:          words.Text("record.label.actions", nil),
	MinutesRisks:     words.Text("record.label.minutes_risks", nil),
	Unconfirmed:      words.Text("record.label.unconfirmed", nil),
	MinutesNone:      words.Text("record.label.minutes_none", nil),
	MinutesPending:   words.Text("record.label.minutes_pending", nil),
	MinutesConfirmed: words.Text("record.label.minutes_confirmed", nil),
	Cancelled:        words.Text("record.label.cancelled", nil),
	MinutesUnit:      words.Text("record.label.minutes_unit", nil),

	TaskTitle:       words.Text("record.label.task_title", nil),
	Description:     words.Text("record.label.description", nil),
	Department:      words.Text("record.label.department", nil),
	Role:            words.Text("record.label.role", nil),
	Owner:           words.Text("record.label.owner", nil),
	Collaborators:   words.Text("record.label.collaborators", nil),
	Start:           words.Text("record.label.start", nil),
	TaskDue:         words.Text("record.label.task_due", nil),
	TaskStatus:      words.Text("record.label.task_status", nil),
	ShownStatus:     words.Text("record.label.shown_status", nil),
	Note:            words.Text("record.label.note", nil),
	Source:          words.Text("record.label.source", nil),
	Parent:          words.Text("record.label.parent", nil),
	LinkedRisks:     words.Text("record.label.linked_risks", nil),
	DoneAt:          words.Text("record.label.done_at", nil),
	Confirmation:    words.Text("record.label.confirmation", nil),
	ScheduleChanges: words.Text("record.label.schedule_changes", nil),

	Done:     words.Text("record.label.done", nil),
	NotDone:  words.Text("record.label.not_done", nil),
	Problems: words.Text("record.label.problems", nil),
	Changes:  words.Text("record.label.changes", nil),

	RiskDescription: words.Text("record.label.risk_description", nil),
	Severity:        words.Text("record.label.severity", nil),
	Impact:          words.Text("record.label.impact", nil),
	RiskOwner:       words.Text("record.label.risk_owner", nil),
	Mitigation:      words.Text("record.label.mitigation", nil),
	ExpectedBy:      words.Text("record.label.expected_by", nil),
	RaisedBy:        words.Text("record.label.raised_by", nil),
	Response:        words.Text("record.label.response", nil),
	ResponseDue:     words.Text("record.label.response_due", nil),
	Resolution:      words.Text("record.label.resolution", nil),
	LinkedTasks:     words.Text("record.label.linked_tasks", nil),

	Quantity:  words.Text("record.label.quantity", nil),
	SelfCheck: words.Text("record.label.self_check", nil),
	By:        words.Text("record.label.by", nil),

	Verdict:        words.Text("record.label.verdict", nil),
	Accepter:       words.Text("record.label.accepter", nil),
	AcceptComments: words.Text("record.label.accept_comments", nil),
	Items:          words.Text("record.label.items", nil),
	ItemsDue:       words.Text("record.label.items_due", nil),
	Highlights:     words.Text("record.label.highlights", nil),
	Improvements:   words.Text("record.label.improvements", nil),
	FollowUps:      words.Text("record.label.follow_ups", nil),

	Acks:        words.Text("record.label.acks", nil),
	Tasks:       words.Text("record.label.tasks", nil),
	OpenRisks:   words.Text("record.label.open_risks", nil),
	Field:       words.Text("record.label.field", nil),
	Value:       words.Text("record.label.value", nil),
	Section:     words.Text("record.label.section", nil),
	Item:        words.Text("record.label.item", nil),
	Duration:    words.Text("record.label.duration", nil),
	MeetingTime: words.Text("record.label.meeting_time", nil),
	BasicItem:   words.Text("record.label.basic_item", nil),
	TheGroup:    words.Text("record.label.the_group", nil),
}

// actions name the timeline's verbs (操作留痕) for people. A verb added
// later shows as itself until it is named here and in the catalogue.
var actions = map[string]string{
	"drafted":                     "record.action.drafted",
	"edited":                      "record.action.edited",
	"submitted_for_review":        "record.action.submitted_for_review",
	"review_approved":             "record.action.review_approved",
	"review_rejected":             "record.action.review_rejected",
	"submitted":                   "record.action.submitted",
	"ack_accepted":                "record.action.ack_accepted",
	"ack_declined":                "record.action.ack_declined",
	"ack_needs_info":              "record.action.ack_needs_info",
	"info_supplied":               "record.action.info_supplied",
	"department_dropped":          "record.action.department_dropped",
	"activated":                   "record.action.activated",
	"task_added":                  "record.action.task_added",
	"task_todo":                   "record.action.task_todo",
	"task_in_progress":            "record.action.task_in_progress",
	"task_needs_help":             "record.action.task_needs_help",
	"task_blocked":                "record.action.task_blocked",
	"task_done":                   "record.action.task_done",
	"task_moved":                  "record.action.task_moved",
	"meeting_scheduled":           "record.action.meeting_scheduled",
	"agenda_set":                  "record.action.agenda_set",
	"agenda_revised":              "record.action.agenda_revised",
	"minutes_recorded":            "record.action.minutes_recorded",
	"minutes_amended":             "record.action.minutes_amended",
	"minutes_confirmed":           "record.action.minutes_confirmed",
	"minutes_confirmed_by_all":    "record.action.minutes_confirmed_by_all",
	"meeting_cancelled":           "record.action.meeting_cancelled",
	"progress_posted":             "record.action.progress_posted",
	"progress_corrected":          "record.action.progress_corrected",
	"risk_raised":                 "record.action.risk_raised",
	"risk_escalated":              "record.action.risk_escalated",
	"risk_responded":              "record.action.risk_responded",
	"risk_resolved":               "record.action.risk_resolved",
	"delivered":                   "record.action.delivered",
	"acceptance_pass":             "record.action.acceptance_pass",
	"acceptance_fail":             "record.action.acceptance_fail",
	"retrospective":               "record.action.retrospective",
	"retrospective_revised":       "record.action.retrospective_revised",
	"archived":                    "record.action.archived",
	"cancelled":                   "record.action.cancelled",
	"request_edited":              "record.action.request_edited",
	"ack_reopened":                "record.action.ack_reopened",
	"ack_asked_again":             "record.action.ack_asked_again",
	"decline_withdrawn":           "record.action.decline_withdrawn",
	"contact_changed":             "record.action.contact_changed",
	"coordinator_changed":         "record.action.coordinator_changed",
	"task_reassigned":             "record.action.task_reassigned",
	"task_revised":                "record.action.task_revised",
	"task_cancelled":              "record.action.task_cancelled",
	"due_change_requested":        "record.action.due_change_requested",
	"due_change_refused":          "record.action.due_change_refused",
	"meeting_rescheduled":         "record.action.meeting_rescheduled",
	"attendees_added":             "record.action.attendees_added",
	"attendees_removed":           "record.action.attendees_removed",
	"risk_severity_changed":       "record.action.risk_severity_changed",
	"risk_linked":                 "record.action.risk_linked",
	"risk_reassigned":             "record.action.risk_reassigned",
	"risk_revised":                "record.action.risk_revised",
	"risk_reopened":               "record.action.risk_reopened",
	"task_confirmation_requested": "record.action.task_confirmation_requested",
	"task_confirmed":              "record.action.task_confirmed",
	"risk_moved_tasks":            "record.action.risk_moved_tasks",
	"task_confirmation_switched":  "record.action.task_confirmation_switched",
	"reminder_changed":            "record.action.reminder_changed",
	"reminder_sent":               "record.action.reminder_sent",
	"reminder_missed":             "record.action.reminder_missed",
	"reminder_suppressed":         "record.action.reminder_suppressed",
	"reminder_snoozed":            "record.action.reminder_snoozed",
	"reminder_skipped":            "record.action.reminder_skipped",
	"leave_declared":              "record.action.leave_declared",
	"leave_cancelled":             "record.action.leave_cancelled",
	"escalation_redirected":       "record.action.escalation_redirected",
	"escalation_unreached":        "record.action.escalation_unreached",
	"ack_details":                 "record.action.ack_details",
	"series_started":              "record.action.series_started",
	"series_ended":                "record.action.series_ended",
}

// reminders name the scheduler's timers, as the CSV and the board list
// them.
var reminders = map[string]string{
	"ack_reminder":                 "record.reminder.ack_reminder",
	"ack_escalation":               "record.reminder.ack_escalation",
	"review_reminder":              "record.reminder.review_reminder",
	"review_escalation":            "record.reminder.review_escalation",
	"needs_info_reminder":          "record.reminder.needs_info_reminder",
	"needs_info_escalation":        "record.reminder.needs_info_escalation",
	"agenda":                       "record.reminder.agenda",
	"agenda_missing":               "record.reminder.agenda_missing",
	"minutes_reminder":             "record.reminder.minutes_reminder",
	"minutes_escalation":           "record.reminder.minutes_escalation",
	"minutes_confirmation":         "record.reminder.minutes_confirmation",
	"daily_progress":               "record.reminder.daily_progress",
	"progress_summary":             "record.reminder.progress_summary",
	"task_due":                     "record.reminder.task_due",
	"task_overdue":                 "record.reminder.task_overdue",
	"task_escalation":              "record.reminder.task_escalation",
	"task_confirmation_reminder":   "record.reminder.task_confirmation_reminder",
	"task_confirmation_escalation": "record.reminder.task_confirmation_escalation",
	"risk_reminder":                "record.reminder.risk_reminder",
	"acceptance_reminder":          "record.reminder.acceptance_reminder",
	"acceptance_escalation":        "record.reminder.acceptance_escalation",
	"rework_due":                   "record.reminder.rework_due",
	"rework_escalation":            "record.reminder.rework_escalation",
	"retro_reminder":               "record.reminder.retro_reminder",
	"weekly_summary":               "record.reminder.weekly_summary",
	"calendar_missing":             "record.reminder.calendar_missing",
	"weekly_digest":                "record.reminder.weekly_digest",
}

func reminderLabel(kind string, lang bot.Lang) string {
	if key, ok := reminders[kind]; ok {
		return words.Get(lang, key, nil)
	}
	return kind
}

// outcomeLabel says what became of reminders: sent, held, skipped.
func outcomeLabel(outcome string, lang bot.Lang) string {
	key, ok := map[string]string{
		"sent":       "record.outcome.sent",
		"missed":     "record.outcome.missed",
		"suppressed": "record.outcome.suppressed",
		"snoozed":    "record.outcome.snoozed",
		"skipped":    "record.outcome.skipped",
	}[outcome]
	if !ok {
		return outcome
	}
	return words.Get(lang, key, nil)
}

func actionLabel(action string, lang bot.Lang) string {
	if key, ok := actions[action]; ok {
		return words.Get(lang, key, nil)
	}
	return strings.ReplaceAll(action, "_", " ")
}

// deliveryN names a delivery: "第 2 次交付".
func deliveryN(n int, lang bot.Lang) string {
	return words.Get(lang, "record.label.delivery_n", words.Args{"n": n})
}

// Status words as people read them; a JSON sheet holds the contract words.
func collabLabel(s string, lang bot.Lang) string   { return bot.CollabStatus(s).Label(lang) }
func ackLabel(s string, lang bot.Lang) string      { return bot.AckStatus(s).Label(lang) }
func taskLabel(s string, lang bot.Lang) string     { return bot.TaskStatus(s).Label(lang) }
func riskLabel(s string, lang bot.Lang) string     { return bot.RiskStatus(s).Label(lang) }
func severityLabel(s string, lang bot.Lang) string { return bot.Severity(s).Label(lang) }
func verdictLabel(s string, lang bot.Lang) string  { return bot.Verdict(s).Label(lang) }
func roleLabel(s string, lang bot.Lang) string     { return bot.DeptRole(s).Label(lang) }
func kindLabel(s string, lang bot.Lang) string     { return bot.MeetingKind(s).Label(lang) }

// TaskSignal is the colour of what a task shows, as every view of the
// process draws it: "red" overdue, "yellow" needs help or blocked,
// "done", "off" cancelled, "green" on track.
func TaskSignal(shown bot.TaskStatus) string {
	switch shown {
	case bot.TaskOverdue:
		return "red"
	case bot.TaskNeedsHelp, bot.TaskBlocked:
		return "yellow"
	case bot.TaskDone:
		return "done"
	case bot.TaskCancelled:
		return "off"
	}
	return "green"
}

// TaskState is a task's state in words: the status shown and, while the
// owner's request for help or report of a block stands, that and its
// reason — also on an overdue task, whose 🔴 延期 would otherwise hide
// what the coordinator is asked to act on. quote makes the reason safe
// where it goes (Markdown, or nothing for an HTML template).
func TaskState(shown, set bot.TaskStatus, note string, lang bot.Lang, quote func(string) string) string {
	s := shown.Label(lang)
	if set != bot.TaskNeedsHelp && set != bot.TaskBlocked {
		return s
	}
	if shown != set {
		s += " · " + TaskEmoji(set) + " " + set.Label(lang)
	}
	if note != "" {
		s += colon(lang) + quote(note)
	}
	return s
}

// TaskEmoji is the board's colour for what a task shows (🔴🟡🟢✅).
func TaskEmoji(shown bot.TaskStatus) string {
	return map[string]string{"red": "🔴", "yellow": "🟡", "done": "✅", "off": "⚪", "green": "🟢"}[TaskSignal(shown)]
}

func ackEmoji(s bot.AckStatus) string {
	switch s {
	case bot.AckAccepted:
		return "✅"
	case bot.AckDeclined:
		return "❌"
	case bot.AckNeedsInfo:
		return "❓"
	}
	return "⏳"
}

// sep joins list items the way each language writes a list.
func sep(lang bot.Lang) string { return words.Get(lang, "format.join", nil) }

// paren adds a remark in the language's own brackets.
func paren(s string, lang bot.Lang) string {
	return words.Get(lang, "format.paren", words.Args{"text": s})
}

// colon follows a label.
func colon(lang bot.Lang) string { return words.Get(lang, "format.colon", nil) }

const stamp = "2006-01-02 15:04"

package record

import (
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/internal/words"
)

// reminderFamily is one line of the record's reminder summary: the timers
// of one step of the process (acknowledgement, meetings, tasks…), so a
// four-week collaboration sums up in at most len(families)+1 lines however
// many reminders fired.
type reminderFamily struct {
	key   string
	label string   // its catalogue key
	kinds []string // in the order the process meets them
}

var families = []reminderFamily{
	{"review", "record.family.review", []string{"review_reminder", "review_escalation"}},
	{"ack", "record.family.ack", []string{"ack_reminder", "ack_escalation", "needs_info_reminder", "needs_info_escalation"}},
	{"meetings", "record.family.meetings", []string{"agenda", "agenda_missing", "minutes_reminder", "minutes_escalation", "minutes_confirmation"}},
	{"progress", "record.family.progress", []string{"daily_progress", "progress_summary"}},
	{"tasks", "record.family.tasks", []string{"task_due", "task_overdue", "task_escalation", "task_confirmation_reminder", "task_confirmation_escalation"}},
	{"risks", "record.family.risks", []string{"risk_reminder"}},
	{"acceptance", "record.family.acceptance", []string{"acceptance_reminder", "acceptance_escalation", "rework_due", "rework_escalation"}},
	{"retro", "record.family.retro", []string{"retro_reminder"}},
	{"weekly", "record.family.weekly", []string{"weekly_summary"}},
	{"calendar", "record.family.calendar", []string{"calendar_missing", "weekly_digest"}},
}

// kindWords name one timer inside its family's line.
var kindWords = map[string]string{
	"ack_reminder":                 "record.reminder_word.ack_reminder",
	"ack_escalation":               "record.reminder_word.ack_escalation",
	"review_reminder":              "record.reminder_word.review_reminder",
	"review_escalation":            "record.reminder_word.review_escalation",
	"needs_info_reminder":          "record.reminder_word.needs_info_reminder",
	"needs_info_escalation":        "record.reminder_word.needs_info_escalation",
	"agenda":                       "record.reminder_word.agenda",
	"agenda_missing":               "record.reminder_word.agenda_missing",
	"minutes_reminder":             "record.reminder_word.minutes_reminder",
	"minutes_escalation":           "record.reminder_word.minutes_escalation",
	"minutes_confirmation":         "record.reminder_word.minutes_confirmation",
	"daily_progress":               "record.reminder_word.daily_progress",
	"progress_summary":             "record.reminder_word.progress_summary",
	"task_due":                     "record.reminder_word.task_due",
	"task_overdue":                 "record.reminder_word.task_overdue",
	"task_escalation":              "record.reminder_word.task_escalation",
	"task_confirmation_reminder":   "record.reminder_word.task_confirmation_reminder",
	"task_confirmation_escalation": "record.reminder_word.task_confirmation_escalation",
	"risk_reminder":                "record.reminder_word.risk_reminder",
	"acceptance_reminder":          "record.reminder_word.acceptance_reminder",
	"acceptance_escalation":        "record.reminder_word.acceptance_escalation",
	"rework_due":                   "record.reminder_word.rework_due",
	"rework_escalation":            "record.reminder_word.rework_escalation",
	"retro_reminder":               "record.reminder_word.retro_reminder",
	"weekly_summary":               "record.reminder_word.weekly_summary",
	"calendar_missing":             "record.reminder_word.calendar_missing",
	"weekly_digest":                "record.reminder_word.weekly_digest",
}

// otherFamily takes a timer this version does not know (a record written
// by a newer one), so it is still counted, under its full label.
var otherFamily = reminderFamily{key: "other", label: "record.family.other"}

func familyOf(kind string) reminderFamily {
	for _, f := range families {
		if slices.Contains(f.kinds, kind) {
			return f
		}
	}
	return otherFamily
}

// reminderSum gathers the reminders of one family.
type reminderSum struct {
	family  reminderFamily
	kinds   []string
	count   map[string]int // per timer kind
	notSent map[string]int // per outcome other than "sent"
	to      []string
	last    time.Time
}

// sumReminders groups the reminder entries of a timeline by family, in the
// order the families come in the process.
func sumReminders(events []Event) []*reminderSum {
	byKey := map[string]*reminderSum{}
	for _, e := range events {
		if !isReminder(e.Action) {
			continue
		}
		outcome := strings.TrimPrefix(e.Action, "reminder_")
		f := familyOf(e.Subject)
		s := byKey[f.key]
		if s == nil {
			s = &reminderSum{family: f, count: map[string]int{}, notSent: map[string]int{}}
			byKey[f.key] = s
		}
		if s.count[e.Subject] == 0 {
			s.kinds = append(s.kinds, e.Subject)
		}
		s.count[e.Subject]++
		if outcome != "sent" {
			s.notSent[outcome]++
		}
		if e.At.After(s.last) {
			s.last = e.At
		}
		if to, _, _ := strings.Cut(e.Note, " "); to != "" && !slices.Contains(s.to, to) {
			s.to = append(s.to, to)
		}
	}
	var out []*reminderSum
	for _, f := range append(slices.Clone(families), otherFamily) {
		if s := byKey[f.key]; s != nil {
			// Timers in the order the process meets them, not the order
			// they happened to fire.
			slices.SortStableFunc(s.kinds, func(a, b string) int {
				return slices.Index(f.kinds, a) - slices.Index(f.kinds, b)
			})
			out = append(out, s)
		}
	}
	return out
}

// line is the family's sentence: "对接确认:提醒 6 次、超时上报 1 次,其中
// 1 次因请假未发送(发给 陈斌),最后一次 10-14 13:29。"
func (s *reminderSum) line(m *md) string {
	lang := m.lang
	var counts []string
	for _, k := range s.kinds {
		what := reminderLabel(k, lang)
		if key, ok := kindWords[k]; ok {
			what = words.Get(lang, key, nil)
		}
		counts = append(counts, words.Get(lang, "record.reminders.count", words.Args{"what": what, "n": s.count[k]}))
	}
	var held []string
	for _, o := range []string{"suppressed", "snoozed", "missed", "skipped"} {
		if n := s.notSent[o]; n > 0 {
			held = append(held, words.Get(lang, "record.reminders.held_count", words.Args{"n": n, "outcome": outcomeLabel(o, lang)}))
		}
	}
	var to []string
	for _, r := range s.to {
		to = append(to, m.recipient(r))
	}
	a := words.Args{"family": words.Get(lang, s.family.label, nil), "counts": strings.Join(counts, sep(lang)),
		"held": "", "to": "", "last": m.when(s.last)}
	if len(held) > 0 {
		a["held"] = words.Get(lang, "record.reminders.held", words.Args{"items": strings.Join(held, sep(lang))})
	}
	if len(to) > 0 {
		a["to"] = words.Get(lang, "record.reminders.to", words.Args{"people": strings.Join(to, sep(lang))})
	}
	return words.Get(lang, "record.reminders.line", a)
}

package record

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// reminderFamily is one line of the record's reminder summary: the timers
// of one step of the process (acknowledgement, meetings, tasks…), so a
// four-week collaboration sums up in at most len(families)+1 lines however
// many reminders fired.
type reminderFamily struct {
	key   string
	label bot.Text
	kinds []string // in the order the process meets them
}

var families = []reminderFamily{
	{"ack", bot.Text{ZH: "对接确认", EN: "Acknowledgement"}, []string{"ack_reminder", "ack_escalation"}},
	{"meetings", bot.Text{ZH: "会议", EN: "Meetings"}, []string{"agenda", "agenda_missing", "minutes_reminder", "minutes_escalation", "minutes_confirmation"}},
	{"progress", bot.Text{ZH: "每日进度", EN: "Daily progress"}, []string{"daily_progress", "progress_summary"}},
	{"tasks", bot.Text{ZH: "任务", EN: "Tasks"}, []string{"task_due", "task_overdue", "task_escalation"}},
	{"risks", bot.Text{ZH: "风险", EN: "Risks"}, []string{"risk_reminder"}},
	{"acceptance", bot.Text{ZH: "验收", EN: "Acceptance"}, []string{"acceptance_reminder", "acceptance_escalation"}},
	{"retro", bot.Text{ZH: "复盘", EN: "Retrospective"}, []string{"retro_reminder"}},
	{"weekly", bot.Text{ZH: "每周进度", EN: "Weekly progress"}, []string{"weekly_summary"}},
	{"calendar", bot.Text{ZH: "节假日日历", EN: "Holiday calendar"}, []string{"calendar_missing"}},
}

// kindWords name one timer inside its family's line.
var kindWords = map[string]bot.Text{
	"ack_reminder": {ZH: "提醒", EN: "reminders"}, "ack_escalation": {ZH: "超时上报", EN: "escalations"},
	"agenda": {ZH: "议程", EN: "agendas"}, "agenda_missing": {ZH: "补议程提醒", EN: "agenda reminders"},
	"minutes_reminder": {ZH: "纪要提醒", EN: "minutes reminders"}, "minutes_escalation": {ZH: "纪要上报", EN: "minutes escalations"},
	"minutes_confirmation": {ZH: "纪要确认提醒", EN: "confirmation reminders"},
	"daily_progress":       {ZH: "提醒", EN: "requests"}, "progress_summary": {ZH: "汇总", EN: "summaries"},
	"task_due": {ZH: "到期提醒", EN: "due reminders"}, "task_overdue": {ZH: "逾期提醒", EN: "overdue reminders"},
	"task_escalation": {ZH: "逾期上报", EN: "escalations"}, "risk_reminder": {ZH: "响应提醒", EN: "response reminders"},
	"acceptance_reminder": {ZH: "提醒", EN: "reminders"}, "acceptance_escalation": {ZH: "超时上报", EN: "escalations"},
	"retro_reminder": {ZH: "提醒", EN: "reminders"}, "weekly_summary": {ZH: "看板", EN: "boards"},
	"calendar_missing": {ZH: "提醒", EN: "notices"},
}

// otherFamily takes a timer this version does not know (a record written
// by a newer one), so it is still counted, under its full label.
var otherFamily = reminderFamily{key: "other", label: bot.Text{ZH: "其他提醒", EN: "Other reminders"}}

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
		outcome, ok := strings.CutPrefix(e.Action, "reminder_")
		if !ok {
			continue
		}
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
	var zh, en []string
	for _, k := range s.kinds {
		word, ok := kindWords[k]
		if !ok {
			word = bot.Text{ZH: reminderLabel(k, bot.Chinese), EN: reminderLabel(k, bot.English)}
		}
		zh = append(zh, fmt.Sprintf("%s %d 次", word.ZH, s.count[k]))
		en = append(en, fmt.Sprintf("%s %d", word.EN, s.count[k]))
	}
	var heldZH, heldEN []string
	for _, o := range []string{"suppressed", "snoozed", "missed"} {
		if n := s.notSent[o]; n > 0 {
			heldZH = append(heldZH, fmt.Sprintf("%d 次%s", n, outcomeLabel(o, bot.Chinese)))
			heldEN = append(heldEN, fmt.Sprintf("%d %s", n, outcomeLabel(o, bot.English)))
		}
	}
	var to []string
	for _, r := range s.to {
		to = append(to, m.recipient(r))
	}
	t := bot.Text{
		ZH: s.family.label.ZH + ":" + strings.Join(zh, "、"),
		EN: s.family.label.EN + ": " + strings.Join(en, ", "),
	}
	if len(heldZH) > 0 {
		t.ZH += ",其中 " + strings.Join(heldZH, "、")
		t.EN += "; of these " + strings.Join(heldEN, ", ")
	}
	if len(to) > 0 {
		t.ZH += "(发给 " + strings.Join(to, "、") + ")"
		t.EN += " (to " + strings.Join(to, ", ") + ")"
	}
	t.ZH += ",最后一次 " + m.when(s.last) + "。"
	t.EN += "; last on " + m.when(s.last) + "."
	return m.t(t)
}

package record

import (
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/words"
)

// ledgerOutcomes are what the scheduler records of a reminder it was due
// to send ("reminder_sent" …), summed up per family. Other "reminder_"
// actions are people's doing: "reminder_changed" is someone setting a
// collaboration's timer, one sentence of the timeline like any other.
var ledgerOutcomes = map[string]bool{"reminder_sent": true, "reminder_missed": true,
	"reminder_suppressed": true, "reminder_snoozed": true, "reminder_skipped": true}

// isReminder reports a timeline entry the scheduler wrote for a reminder.
func isReminder(action string) bool { return ledgerOutcomes[action] }

// reminderChange is the sentence of a "reminder_changed" entry (subject
// the timer or bot.AllReminders, note the value set: "off", "on" for the
// workspace's setting, a time of day or a span), after its actor: "把每日
// 进度提醒改为 18:00", "关闭了全部提醒".
func reminderChange(e Event, lang bot.Lang) string {
	if e.Subject == bot.AllReminders { // only switched: `remind COL-3 off`
		if e.Note == "on" {
			return words.Get(lang, "record.remind.all_on", nil)
		}
		return words.Get(lang, "record.remind.all_off", nil)
	}
	a := words.Args{"timer": words.Get(lang, "timer."+e.Subject, nil), "value": remindValue(e.Note, lang)}
	switch {
	case e.Note == "off":
		return words.Get(lang, "record.remind.off", a)
	case e.Note == "on":
		return words.Get(lang, "record.remind.on", a)
	}
	return words.Get(lang, "record.remind.set", a)
}

// remindValue writes a timer's value as people say it: a span in words
// ("2bd" → "2 个工作日"), a time of day as it is.
func remindValue(v string, lang bot.Lang) string {
	if strings.Contains(v, ":") {
		return v
	}
	if sp, err := calendar.ParseSpan(v); err == nil {
		return SpanText(sp).In(lang)
	}
	return v
}

// SpanText writes a timer's span as people say it: "1 个工作日",
// "9 business hours", "24 小时".
func SpanText(sp calendar.Span) bot.Text {
	switch sp.Unit {
	case calendar.BusinessDays:
		return counted(sp.N, "span.business_days.one", "span.business_days.other")
	case calendar.BusinessHours:
		return counted(sp.N, "span.business_hours.one", "span.business_hours.other")
	}
	switch d := sp.D; {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return counted(int(d/(24*time.Hour)), "span.days.one", "span.days.other")
	case d >= time.Hour && d%time.Hour == 0:
		return counted(int(d/time.Hour), "span.hours.one", "span.hours.other")
	default:
		return counted(int(d/time.Minute), "span.minutes.one", "span.minutes.other")
	}
}

// counted is "{n} <unit>" in the form n takes.
func counted(n int, one, other string) bot.Text {
	return words.Text(plural(n, one, other), words.Args{"n": n})
}

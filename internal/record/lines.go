package record

import (
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// Sentence is one line of the timeline as people read it on a page: the
// same words as the exported record, without Markdown.
type Sentence struct {
	At   time.Time
	Text string
	// Reminders marks the summed-up line of one family of the bot's
	// reminders; its At is the last one.
	Reminders bool
}

// Sentences is the timeline as the Markdown record writes it, oldest
// first, the bot's reminders summed up per kind after the rest. The text
// is plain: a page escapes it itself.
func (s *Sheet) Sentences(lang bot.Lang) []Sentence {
	m := &md{s: s, lang: lang}
	name := func(id string) string { return strings.Join(strings.Fields(s.Name(id)), " ") }
	var out []Sentence
	for _, e := range s.Timeline {
		if isReminder(e.Action) {
			continue
		}
		var line string
		if states[e.Action] {
			line = s.subject(e) + " " + actionLabel(e.Action, lang)
		} else {
			actor := label.Bot.In(lang)
			if e.Actor != "" {
				actor = name(e.Actor)
			}
			line = actor + " " + actionLabel(e.Action, lang)
			if sub := s.subject(e); sub != "" {
				line += " " + sub
			}
		}
		if e.Action == "reminder_changed" {
			line = name(e.Actor) + " " + reminderChange(e, lang)
		} else if e.Note != "" {
			line += colon(lang) + strings.Join(strings.Fields(s.note(e, lang)), " ")
		}
		out = append(out, Sentence{At: e.At, Text: sentence(line, lang)})
	}
	for _, r := range sumReminders(s.Timeline) {
		out = append(out, Sentence{At: r.last, Text: r.line(m), Reminders: true})
	}
	return out
}

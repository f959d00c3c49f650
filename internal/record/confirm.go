package record

import (
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The rows of the head's confirmation of a task (负责人确认) and of the
// dates an issue's resolution moved (同步进度调整), in the seed's words.

// Confirmation is the department head's confirmation of a task.
type Confirmation struct {
	Head    string    `json:"head"`
	AskedAt time.Time `json:"asked_at"`
	By      string    `json:"by,omitempty"`
	At      time.Time `json:"at,omitzero"`
	From    string    `json:"from,omitempty"` // the owner planned
	To      string    `json:"to,omitempty"`   // the owner confirmed
	DueFrom time.Time `json:"due_from,omitzero"`
	DueTo   time.Time `json:"due_to,omitzero"`
}

// Move is one task an issue's resolution re-dated; Status is "moved", or
// "asked" while the coordinator has not approved it, or "refused".
type Move struct {
	Task   string    `json:"task"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	At     time.Time `json:"at"`
	Status string    `json:"status"`
}

func confirmation(t *bot.Task, p people, at func(time.Time) time.Time) *Confirmation {
	cf := t.Confirmation
	if cf == nil {
		return nil
	}
	out := &Confirmation{Head: p.id(cf.Head), AskedAt: at(cf.AskedAt), By: p.id(cf.By), At: at(cf.At),
		From: p.id(cf.From), To: p.id(cf.To), DueFrom: at(cf.DueFrom)}
	if !cf.DueFrom.IsZero() {
		out.DueTo = at(t.Due)
	}
	return out
}

func moves(c *bot.Collaboration, r *bot.Risk, at func(time.Time) time.Time) []Move {
	var out []Move
	for _, m := range r.Moves {
		status := "moved"
		if m.Asked {
			status = "refused"
			if t, err := c.Task(m.Task); err == nil {
				switch {
				case t.DueRequest != nil && t.DueRequest.Due.Equal(m.To):
					status = "asked"
				case t.Due.Equal(m.To):
					status = "moved"
				}
			}
		}
		out = append(out, Move{Task: m.Task.String(), From: at(m.From), To: at(m.To), At: at(m.At), Status: status})
	}
	return out
}

// confirmationText reads a confirmation as one sentence in lang.
func confirmationText(cf *Confirmation, name func(string) string, lang bot.Lang) string {
	if cf == nil {
		return ""
	}
	if cf.By == "" {
		return words.Get(lang, "record.confirm.awaiting", words.Args{"head": name(cf.Head), "asked": when(cf.AskedAt)})
	}
	a := words.Args{"by": name(cf.By), "at": when(cf.At), "from": name(cf.From), "to": name(cf.To)}
	text := words.Get(lang, "record.confirm.confirmed", a)
	if cf.To != cf.From {
		text = words.Get(lang, "record.confirm.reassigned", a)
	}
	if !cf.DueFrom.IsZero() {
		text += sep(lang) + words.Get(lang, "record.confirm.due", words.Args{"from": when(cf.DueFrom), "to": when(cf.DueTo)})
	}
	return text
}

// movesText lists an issue's date moves, one per line.
func movesText(ms []Move, lang bot.Lang) string {
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = words.Get(lang, "record.move."+m.Status, words.Args{"task": m.Task, "from": when(m.From), "to": when(m.To)})
	}
	return strings.Join(lines, "\n")
}

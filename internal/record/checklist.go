package record

import (
	"strconv"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The record of the delivery checklist (成果交付清单, 验收清单) and of
// attachments (附件), in the seed's words.

var checklistLabel = struct {
	Attachments, Note, Tasks, Standards, Kept, Changes, Results, Pass, Fail bot.Text
}{
	Attachments: words.Text("record.label.attachments", nil),
	Note:        words.Text("record.label.item_note", nil),
	Tasks:       words.Text("record.label.item_tasks", nil),
	Standards:   words.Text("record.label.item_standards", nil),
	Kept:        words.Text("record.label.item_kept", nil),
	Changes:     words.Text("record.label.delivery_changes", nil),
	Results:     words.Text("record.label.item_results", nil),
	Pass:        words.Text("record.label.item_pass", nil),
	Fail:        words.Text("record.label.item_fail", nil),
}

// attachments lists files and links: name, size, link. A link is written
// as text, never as a Markdown link: the sheet does not vouch for it.
func (m *md) attachments(indent string, atts []bot.Attachment) {
	var lines []string
	for _, a := range atts {
		lines = append(lines, a.Line())
	}
	m.items(indent, checklistLabel.Attachments, lines)
}

// deliverable is one line of a delivery list, with its note, tasks and
// their standards, and whether it was kept from an accepted delivery.
func (m *md) deliverable(n int, it Deliverable) {
	line := strconv.Itoa(n) + ". " + inline(it.Name)
	if it.Version != "" {
		line += " · " + inline(it.Version)
	}
	line += " · " + m.t(label.Quantity) + " " + strconv.Itoa(it.Quantity)
	if it.Link != "" {
		line += " · " + inline(it.Link)
	}
	if it.Kept {
		line += " " + paren(m.t(checklistLabel.Kept), m.lang)
	}
	m.printf("  - %s\n", line)
	m.field("    ", checklistLabel.Note, it.Note)
	m.field("    ", checklistLabel.Tasks, strings.Join(it.Tasks, sep(m.lang)))
	m.field("    ", checklistLabel.Standards, strings.Join(it.Standards, sep(m.lang)))
}

// changes says what a delivery changed from the one before.
func (m *md) changes(ch *bot.Changes) {
	if ch == nil {
		return
	}
	var lines []string
	for _, msg := range ch.ChangeLines() {
		lines = append(lines, words.Get(m.lang, msg.Key, words.Args(msg.Args)))
	}
	m.items("  ", checklistLabel.Changes, lines)
}

// results lists the verdict on each item (验收清单).
func (m *md) results(rs []bot.ItemResult) {
	var lines []string
	for _, r := range rs {
		verdict := checklistLabel.Pass
		if !r.Pass {
			verdict = checklistLabel.Fail
		}
		l := strconv.Itoa(r.Item) + ". " + r.Name + " · " + m.t(verdict)
		if r.Comment != "" {
			l += " · " + r.Comment
		}
		lines = append(lines, l)
	}
	m.items("  ", checklistLabel.Results, lines)
}

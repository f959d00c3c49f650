package web

import (
	"strconv"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/words"
)

// deliveryLines are the delivery list as the board shows it: each
// delivery's items numbered with their notes and tasks, and the files
// shared with it as links to where they live (never copies).
func deliveryLines(sheet *record.Sheet, lang bot.Lang) []string {
	var out []string
	for _, dl := range sheet.Deliveries {
		n := 0
		for _, it := range sheet.Deliverables {
			if it.Delivery != dl.Number {
				continue
			}
			n++
			line := strconv.Itoa(n) + ". " + it.Name
			if it.Version != "" {
				line += " " + it.Version
			}
			if it.Link != "" {
				line += " · " + it.Link
			}
			if it.Note != "" {
				line += " · " + it.Note
			}
			if len(it.Tasks) > 0 {
				line += " (" + strings.Join(it.Tasks, " ") + ")"
			}
			if it.Kept {
				line += " · " + words.Get(lang, "record.label.item_kept", nil)
			}
			out = append(out, line)
		}
		for _, a := range dl.Attachments {
			out = append(out, "📎 "+a.Line())
		}
	}
	return out
}

func attachmentLines(atts []bot.Attachment) []string {
	var out []string
	for _, a := range atts {
		out = append(out, a.Line())
	}
	return out
}

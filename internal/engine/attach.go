package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Files shared with a message (附件) join the form open in the chat when
// they arrive — a progress update, a delivery, minutes or a risk — or the
// one the message's command opens, and are kept with what it records.
// Anywhere else they are refused: nothing could show them later.

// attachBefore adds the message's files to the form already open. done:
// the message was only the files.
func (s *session) attachBefore(ctx context.Context, d *dialog, text string) (bool, error) {
	if len(s.msg.Attachments) == 0 {
		return false, nil
	}
	if d == nil || !bot.TakesAttachments(d.Form) {
		if strings.TrimSpace(text) == "" {
			return true, s.attachRefusal(d)
		}
		return false, nil // the command may open a form that takes them
	}
	if err := s.attach(d); err != nil {
		return true, err
	}
	s.attached = true
	if strings.TrimSpace(text) == "" {
		return true, s.saveDialog(ctx, d)
	}
	// The text answers the form, which is saved with the files.
	s.conv.dialog.Attachments = d.Attachments
	return false, nil
}

// attachAfter adds the files to the form the message's command opened.
func (s *session) attachAfter(ctx context.Context) error {
	if len(s.msg.Attachments) == 0 || s.attached {
		return nil
	}
	d := &s.conv.dialog
	if d.Form == "" || !bot.TakesAttachments(d.Form) {
		// The command's own work stands; only the files are refused.
		s.reply(bot.Reply{Body: "⚠️ " + s.refusal(s.attachRefusal(nil))})
		return nil
	}
	if err := s.attach(d); err != nil {
		return err
	}
	return s.persist(ctx)
}

// attach adds the files to d and says so.
func (s *session) attach(d *dialog) error {
	atts, err := bot.AddAttachments(d.Attachments, s.msg.Attachments)
	if err != nil {
		return err
	}
	before := len(d.Attachments)
	d.Attachments = atts
	s.attached = true
	var names []string
	for _, a := range atts[before:] {
		a.Link = a.Name // the name says enough here
		names = append(names, a.Line())
	}
	if len(names) == 0 {
		names = []string{s.msg.Attachments[0].Name} // shared again: kept once
	}
	s.sayKey("reply.attach.added", words.Args{"names": joinList(s.lang, names), "form": d.title(s),
		"count": strconv.Itoa(len(atts)), "max": strconv.Itoa(bot.MaxAttachments)})
	return nil
}

func (s *session) attachRefusal(d *dialog) error {
	if d != nil {
		return refuse(bot.CodeInvalid, "attachments", "refuse.attachment.form_takes_none", words.Args{"form": d.title(s)})
	}
	return refuse(bot.CodeInvalid, "attachments", "refuse.attachment.nowhere", nil)
}

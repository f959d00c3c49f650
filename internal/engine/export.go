package engine

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/words"
)

// exportFormats are the formats `export COL-n <format>` writes.
var exportFormats = map[string]struct {
	ext, mime string
	write     func(s *record.Sheet, b *bytes.Buffer, lang bot.Lang) error
}{
	"md":   {"md", "text/markdown", func(s *record.Sheet, b *bytes.Buffer, lang bot.Lang) error { return s.Markdown(b, lang) }},
	"csv":  {"csv", "text/csv", func(s *record.Sheet, b *bytes.Buffer, lang bot.Lang) error { return s.CSV(b, lang) }},
	"json": {"json", "application/json", func(s *record.Sheet, b *bytes.Buffer, _ bot.Lang) error { return s.JSON(b) }},
}

// exportOrder is how a refusal lists the formats.
var exportOrder = []string{"md", "csv", "json"}

// cmdExport is 导出 COL-n [md|csv|json]: the record as a file where the
// platform takes files (Slack), else as Markdown in the chat.
// exportFiller are the words people put between the reference and the
// format.
var exportFiller = []string{"as", "in", "to", "format", "为", "成", "格式", "导出为"}

func cmdExport(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.readable(ctx, ref)
	if err != nil {
		return err
	}
	format := "md"
	lang := s.lang
	for _, a := range in.args {
		if _, ok := exportFormats[strings.ToLower(a)]; ok {
			format = strings.ToLower(a)
		} else if l, ok := bot.ParseLang(a); ok {
			lang = l
		} else if slices.Contains(exportFiller, strings.ToLower(a)) {
			// "export COL-1 as csv", "导出 COL-1 为 csv"
		} else if a != ref {
			// A word that is neither would silently give Markdown: refuse
			// it as the command line does.
			return bot.Refuse(bot.CodeInvalid, "refuse.export.format", bot.Args{"format": a, "formats": strings.Join(exportOrder, ", "), "ref": c.ID.String()})
		}
	}
	sheet, err := record.Read(ctx, s.tx, c, s.dir, s.now, s.loc())
	if err != nil {
		return err
	}
	sheet.NoteNext(c, s.e.Calendar, s.now)
	f := exportFormats[format]
	var file bytes.Buffer
	if err := f.write(sheet, &file, lang); err != nil {
		return err
	}
	var chat bytes.Buffer
	if err := sheet.ChatMarkdown(&chat, lang); err != nil {
		return err
	}
	body := chat.String()
	if format != "md" {
		body = s.w("reply.export.markdown_only", words.Args{"kind": strings.ToUpper(format), "ref": c.ID, "format": format}) + body
	}
	s.reply(bot.Reply{Title: s.w("reply.export.title", words.Args{"ref": c.ID}), Body: body,
		File: &bot.File{Name: c.ID.String() + "." + f.ext, MIME: f.mime, Data: file.Bytes()}})
	return nil
}

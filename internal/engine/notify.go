package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/scheduler"
)

// notice is what a notification text is written from.
type notice struct {
	n      bot.Notice
	c      *bot.Collaboration
	policy scheduler.Policy // the collaboration's timers
	name   func(bot.PersonID) string
	param  func(string) string
	when   func(string) string // an RFC 3339 parameter in the workspace's zone
	date   func(time.Time) string
	stamp  func(time.Time) string // a moment in the workspace's zone
	board  func(bot.Lang) string  // the collaboration's progress board
}

// within is a timer's span as the texts quote it ("1 个工作日").
func (v notice) within(sp calendar.Span) bot.Text { return spanText(sp) }

// maxQuote caps each piece of people's text a notice quotes: it carries
// what the reader decides on, and the record has the rest.
const maxQuote = 300

// body builds a notice's text in both languages at once, a line at a
// time; fields without a value are left out.
type body struct{ zh, en []string }

func (b *body) line(zh, en string) { b.zh, b.en = append(b.zh, zh), append(b.en, en) }

// field is a "label: value" line of people's text, cut to maxQuote.
func (b *body) field(zh, en, value string) {
	if value = strings.TrimSpace(value); value != "" {
		value = bot.Truncate(value, maxQuote)
		b.line(zh+":"+value, en+": "+value)
	}
}

// pair is a field whose value reads differently in each language.
func (b *body) pair(zh, en, valueZH, valueEN string) {
	if strings.TrimSpace(valueZH) != "" {
		b.line(zh+":"+valueZH, en+": "+valueEN)
	}
}

// list is a labelled bullet list.
func (b *body) list(zh, en string, items []string) {
	items = slices.DeleteFunc(slices.Clone(items), func(it string) bool { return strings.TrimSpace(it) == "" })
	if len(items) == 0 {
		return
	}
	b.line(zh+":", en+":")
	for _, it := range items {
		it = "• " + bot.Truncate(strings.TrimSpace(it), maxQuote)
		b.line(it, it)
	}
}

func (b *body) text() bot.Text {
	return bot.Text{ZH: strings.Join(b.zh, "\n"), EN: strings.Join(b.en, "\n")}
}

// clockText writes a time of day: "17:00".
func clockText(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// Notification renders an outbox notice for its recipient: a person in
// their language, a group chat in its own or the workspace's.
func (e *Engine) Notification(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
	return e.notification(ctx, ws, n, "")
}

// NotificationIn renders a notice in lang, whoever receives it (goldens,
// previews).
func (e *Engine) NotificationIn(ctx context.Context, ws bot.Workspace, n bot.Notice, lang bot.Lang) (bot.Notification, error) {
	return e.notification(ctx, ws, n, lang)
}

// NoticeKinds lists every kind of notice that has words.
func NoticeKinds() []string { return slices.Sorted(maps.Keys(notices)) }

func (e *Engine) notification(ctx context.Context, ws bot.Workspace, n bot.Notice, lang bot.Lang) (bot.Notification, error) {
	out := bot.Notification{To: n.To, Subject: n.Subject, Lang: e.Lang, Kind: n.Kind, Collab: n.Collab}
	err := e.Store.View(ctx, ws, func(tx bot.Tx) error {
		// A notice about several collaborations (the daily progress
		// request) carries its own words and names none.
		var c *bot.Collaboration
		if n.Collab != 0 {
			var err error
			if c, err = tx.Collaboration(ctx, n.Collab); err != nil {
				return err
			}
			out.Group = c.Group
		}
		dir, err := e.directory(ctx, ws, tx)
		if err != nil {
			return err
		}
		if n.To != "" {
			st, err := tx.Settings(ctx, n.To)
			if err != nil {
				return err
			}
			p, _ := dir.Person(n.To)
			out.Lang = firstLang(st.Lang, p.Lang, e.Lang)
			out.Accounts = p.Identities
		} else if l, ok := e.GroupLangs[out.Group]; ok {
			out.Lang = l
		}
		if lang != "" {
			out.Lang = lang
		}
		out.Reply = e.render(n, c, dir, out.Lang)
		return nil
	})
	return out, err
}

func (e *Engine) render(n bot.Notice, c *bot.Collaboration, dir *bot.Directory, lang bot.Lang) bot.Reply {
	v := notice{n: n, c: c, policy: e.Policy,
		stamp: func(t time.Time) string { return t.In(e.Calendar.Location()).Format("2006-01-02 15:04") },
		board: func(lang bot.Lang) string {
			return record.Board(c, dir, e.Clock.Now(), e.Calendar.Location(), lang)
		},
		name: func(id bot.PersonID) string {
			if p, ok := dir.Person(id); ok && p.Name != "" {
				return p.Name
			}
			return string(id)
		},
		param: func(k string) string { return n.Params[k] },
		date:  func(t time.Time) string { return t.In(e.Calendar.Location()).Format("2006-01-02") },
		when: func(k string) string {
			t, err := time.Parse(time.RFC3339, n.Params[k])
			if err != nil {
				return n.Params[k]
			}
			return t.In(e.Calendar.Location()).Format("2006-01-02 15:04")
		},
	}
	if c != nil {
		v.policy = e.Policy.For(c)
	}
	prefix := ""
	if c != nil && !standalone[n.Kind] {
		prefix = c.ID.String() + " · "
	}
	write, ok := notices[n.Kind]
	if !ok || (c == nil && !standalone[n.Kind]) {
		// A kind added to the domain before it got words here still reaches
		// people, plainly.
		e.Log.Warn("no words for notice kind", "kind", n.Kind, "collab", n.Collab)
		return bot.Reply{Title: strings.TrimSuffix(prefix, " · "), Body: n.Kind + " " + n.Subject}
	}
	title, body, buttons := write(v)
	if c != nil && strings.Contains(body.ZH+body.EN, "…") {
		// A quote was cut to keep the notice short: say where the rest is.
		ref := c.ID.String()
		body.ZH += "\n(内容较长,完整内容:`查看 " + ref + "`)"
		body.EN += "\n(Shortened; the full text: `show " + ref + "`)"
	}
	r := bot.Reply{Title: prefix + title.In(lang), Body: body.In(lang)}
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, bot.Button{Label: b.Label.In(lang), Action: "command", Value: b.Command, Command: b.Command, Style: b.Style})
	}
	return r
}

// action is a button a notice offers: the command it sends, labelled in
// the reader's language.
type action struct {
	Label   bot.Text
	Command string
	Style   string // "primary", "danger" or ""
}

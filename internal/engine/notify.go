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
	"github.com/collabot/collabot/internal/words"
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
	digest bot.Text               // the weekly digest, read before rendering
	// reader is the person the notice is for, with their roles (empty
	// for a group): a button is offered only to who may press it.
	reader bot.Actor
	// respondBy is when a risk owner asked at from must respond, by the
	// collaboration's risk_response timer.
	respondBy func(from time.Time) string
}

// within is a timer's span as the texts quote it ("1 个工作日").
func (v notice) within(sp calendar.Span) bot.Text { return spanText(sp) }

// maxQuote caps each piece of people's text a notice quotes: it carries
// what the reader decides on, and the record has the rest.
const maxQuote = 300

// body builds a notice's text in both languages at once, a line at a
// time, from the catalogue; fields without a value are left out.
type body struct{ zh, en []string }

func (b *body) line(t bot.Text) { b.zh, b.en = append(b.zh, t.ZH), append(b.en, t.EN) }

// say adds the catalogue's sentence key.
func (b *body) say(key string, args words.Args) { b.line(words.Text(key, args)) }

// field is a "label: value" line of people's text, cut to maxQuote; key
// names the label.
func (b *body) field(key, value string) { b.fieldText(words.Text(key, nil), value) }

// fieldText is a field whose label is not the catalogue's (a template's
// extra field).
func (b *body) fieldText(label bot.Text, value string) {
	if value = strings.TrimSpace(value); value != "" {
		b.say("format.field", words.Args{"label": label, "value": bot.Truncate(value, maxQuote)})
	}
}

// pair is a field whose value reads differently in each language.
func (b *body) pair(key string, value bot.Text) {
	if strings.TrimSpace(value.ZH) != "" {
		b.say("format.field", words.Args{"label": words.Text(key, nil), "value": value})
	}
}

// list is a labelled bullet list.
func (b *body) list(key string, items []string) {
	items = slices.DeleteFunc(slices.Clone(items), func(it string) bool { return strings.TrimSpace(it) == "" })
	if len(items) == 0 {
		return
	}
	b.say("format.list_head", words.Args{"label": words.Text(key, nil)})
	for _, it := range items {
		b.bullet(bot.Truncate(strings.TrimSpace(it), maxQuote))
	}
}

// bullet is one item of a list: people's text, or words.
func (b *body) bullet(item any) { b.say("format.bullet", words.Args{"item": item}) }

func (b *body) text() bot.Text {
	return bot.Text{ZH: strings.Join(b.zh, "\n"), EN: strings.Join(b.en, "\n")}
}

// both is a label the domain writes in each language (a status, a
// meeting kind), as a text.
func both(label func(bot.Lang) string) bot.Text {
	return bot.Text{ZH: label(bot.Chinese), EN: label(bot.English)}
}

// joined writes items as each language writes a list ("a、b" / "a, b").
func joined(items []bot.Text) bot.Text {
	var zh, en []string
	for _, it := range items {
		zh, en = append(zh, it.ZH), append(en, it.EN)
	}
	return bot.Text{ZH: strings.Join(zh, words.Get(bot.Chinese, "format.join", nil)),
		EN: strings.Join(en, words.Get(bot.English, "format.join", nil))}
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
	if n.Kind == bot.KindReply {
		// Rendered when it was recorded, in the speaker's language.
		out := bot.Notification{Group: n.Channel, Lang: e.Lang, Kind: n.Kind, Replies: n.Replies, Handle: n.Handle}
		if len(n.Replies) > 0 {
			out.Reply = n.Replies[0]
		}
		return out, nil
	}
	out := bot.Notification{To: n.To, Subject: n.Subject, Lang: e.Lang, Kind: n.Kind, Collab: n.Collab}
	var reading *digestReading
	if n.Kind == "weekly_digest" {
		var err error
		if reading, err = e.readDigest(ctx, ws); err != nil {
			return out, err
		}
	}
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
			out.NotBefore = st.Quiet.Until(e.Clock.Now().In(e.Calendar.Location()))
			out.Accounts = p.Identities
		} else if l, ok := e.GroupLangs[out.Group]; ok {
			out.Lang = l
		}
		if lang != "" {
			out.Lang = lang
		}
		if n.Kind == bot.KindHome {
			return e.homeNotification(ctx, ws, tx, dir, n, &out)
		}
		var digest bot.Text
		if n.Kind == "weekly_digest" {
			if digest, err = e.digest(ctx, ws, tx, n, dir, reading); err != nil {
				return err
			}
		}
		out.Reply = e.render(n, c, dir, out.Lang, digest)
		return nil
	})
	return out, err
}

func (e *Engine) render(n bot.Notice, c *bot.Collaboration, dir *bot.Directory, lang bot.Lang, digest bot.Text) bot.Reply {
	v := notice{n: n, c: c, policy: e.Policy, digest: digest, reader: bot.Actor{Person: n.To},
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
	v.respondBy = func(from time.Time) string { return v.stamp(e.Calendar.Add(from, v.policy.RiskResponse.After)) }
	if dir != nil && n.To != "" {
		v.reader = dir.Actor(n.To)
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
	if more, ok := v.redirected(); ok {
		body.ZH += "\n" + more.ZH
		body.EN += "\n" + more.EN
	}
	if c != nil && strings.Contains(body.ZH+body.EN, "…") {
		// A quote was cut to keep the notice short: say where the rest is.
		ref := c.ID.String()
		more := words.Text("notice.shortened", words.Args{"ref": ref})
		body.ZH += "\n" + more.ZH
		body.EN += "\n" + more.EN
	}
	r := bot.Reply{Title: prefix + title.In(lang), Body: body.In(lang)}
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, bot.Button{Label: b.Label.In(lang), Action: "command", Value: b.Command,
			Command: e.spoken(b.Command, lang), Style: b.Style})
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

// redirected is what an escalation adds when its recipient was on leave
// (the scheduler's escalate): to a stand-in, whom it was for; to the
// coordinator, that it reached no one.
func (v notice) redirected() (bot.Text, bool) {
	a := words.Args{"until": v.param("instead_until")}
	switch {
	case v.param("unreached") != "":
		a["person"] = v.name(bot.PersonID(v.param("unreached")))
		return words.Text("notice.escalation.unreached", a), true
	case v.param("instead_of") != "":
		a["person"] = v.name(bot.PersonID(v.param("instead_of")))
		return words.Text("notice.escalation.instead", a), true
	}
	return bot.Text{}, false
}

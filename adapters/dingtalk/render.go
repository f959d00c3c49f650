package dingtalk

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// maxText caps the markdown of one DingTalk message. DingTalk refuses
// messages somewhere above 15-20 KB depending on the endpoint; a longer
// reply (a big board) is split at line breaks into several messages.
const maxText = 12000

// maxButtons is the most an action card template has (sampleActionCard5).
const maxButtons = 5

// outMessage is one DingTalk message before it is given a wire format:
// a session-webhook body or an OpenAPI msgKey and msgParam.
type outMessage struct {
	Title   string // shown in the conversation list and notifications
	Text    string // DingTalk markdown
	Buttons []link
}

type link struct{ Title, URL string }

// render turns a reply into DingTalk messages (none for an empty one). Buttons become an action
// card only where they work (see commandURL); elsewhere, in a group, the
// commands they stand for are written out for people to @-mention the
// bot with.
func render(r bot.Reply, buttons bool, lang bot.Lang) []outMessage {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString("#### " + inline(escapeLine(oneLine(r.Title))) + "\n\n")
	}
	b.WriteString(markdown(r.Body))
	if len(r.Fields) > 0 {
		lines := make([]string, 0, len(r.Fields))
		for _, f := range r.Fields {
			lines = append(lines, "**"+oneLine(f.Label)+"**: "+inline(oneLine(f.Value)))
		}
		paragraph(&b, strings.Join(lines, "  \n"))
	}
	var links []link
	var typed []bot.Button
	for _, btn := range r.Buttons {
		if btn.Command == "" {
			continue // nothing to send back; the engine always sets one
		}
		if buttons && len(links) < maxButtons {
			links = append(links, link{Title: oneLine(btn.Label), URL: commandURL(btn.Command)})
			continue
		}
		typed = append(typed, btn)
	}
	if len(typed) > 0 {
		paragraph(&b, commandHint(typed, !buttons, lang))
	}
	text := strings.TrimSpace(b.String())
	if text == "" && len(links) == 0 {
		return nil // nothing to say; DingTalk refuses an empty message
	}
	if text == "" {
		text = "…"
	}
	title := plainTitle(r.Title, r.Body)
	chunks := bot.SplitText(text, maxText)
	out := make([]outMessage, len(chunks))
	for i, c := range chunks {
		out[i] = outMessage{Title: title, Text: c}
		if len(chunks) > 1 {
			out[i].Title = fmt.Sprintf("%s (%d/%d)", title, i+1, len(chunks))
		}
	}
	out[len(out)-1].Buttons = links
	return out
}

// commandURL is an action card link that, clicked, sends cmd as a message
// from the person who clicked: DingTalk's dtmd://dingtalkclient/sendMessage
// scheme, widely used for chat buttons. It was chosen over an interactive
// card because it needs no card template registered in the developer
// console and no card API permission, and the click reaches the engine as
// the person's own typed command, through the same path as everything
// else. Its limit: in a group the sent text carries no @-mention, and
// DingTalk delivers group messages to a robot only when it is mentioned,
// so in groups buttons are written out as commands instead.
func commandURL(cmd string) string {
	return "dtmd://dingtalkclient/sendMessage?content=" + strings.ReplaceAll(url.QueryEscape(cmd), "+", "%20")
}

func commandHint(bs []bot.Button, group bool, lang bot.Lang) string {
	var b strings.Builder
	switch {
	case group:
		b.WriteString(words.Get(lang, "adapter.dingtalk.mention_with", nil))
	default:
		b.WriteString(words.Get(lang, "adapter.dingtalk.reply_with", nil))
	}
	for i, btn := range bs {
		if i > 0 {
			b.WriteString(" ·")
		}
		b.WriteString(" **" + escapeInline(btn.Command) + "**")
		// The label adds nothing when the command already says it (看板 COL-1).
		if l := oneLine(btn.Label); l != "" && l != btn.Command && !strings.HasPrefix(btn.Command, l+" ") {
			b.WriteString("(" + l + ")")
		}
	}
	return b.String()
}

// markdown adapts the engine's markdown to DingTalk's: a single line break
// is dropped there, so lines become hard breaks ("  \n") and blank lines
// paragraphs; a list needs a blank line before it; inline code does not
// exist and becomes bold; leading spaces (which would make a code block)
// are removed.
func markdown(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var b strings.Builder
	blank, list := true, false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			blank = true
			continue
		}
		item := strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ")
		switch {
		case b.Len() == 0:
		case blank || (item && !list):
			b.WriteString("\n\n")
		default:
			b.WriteString("  \n")
		}
		b.WriteString(inline(escapeLine(line)))
		blank, list = false, item
	}
	return b.String()
}

// inline turns `code` into **code**, angle brackets, which DingTalk
// may take for HTML and hide ("edit <field>"), into full-width ones, and
// defuses links and broadcasts people typed.
func inline(s string) string {
	s = defuse(angles.Replace(s))
	if strings.Count(s, "`") < 2 {
		return s
	}
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 1 && i < len(parts)-1:
			b.WriteString("**" + p + "**")
		case i > 0 && i%2 == 1:
			b.WriteString("`" + p) // an unpaired backtick stays
		default:
			b.WriteString(p)
		}
	}
	return b.String()
}

var angles = strings.NewReplacer("<", "＜", ">", "＞")

var (
	// mdLinkOpen is the start of a Markdown link or image, [label](…):
	// the engine writes none, so one in a message is someone's text.
	mdLinkOpen = regexp.MustCompile(`\[([^\[\]\n]*)\]\(`)
	// broadcast words that would read as pinging everyone; \b keeps
	// "@allison" a person.
	broadcast = regexp.MustCompile(`(?i)@(all|everyone|channel|here)\b|@所有人`)
)

// defuse keeps what people typed from acting in DingTalk markdown: a
// link's or image's brackets become full-width, so [Login](https://…)
// shows as typed, its address in sight, instead of a link labelled
// Login (or an image fetched from anywhere); @all and @所有人 get a
// full-width ＠. The bot's own "@我" is untouched.
func defuse(s string) string {
	if strings.ContainsRune(s, '[') {
		s = mdLinkOpen.ReplaceAllString(s, "［$1］(")
	}
	if strings.ContainsRune(s, '@') {
		s = broadcast.ReplaceAllStringFunc(s, func(m string) string { return "＠" + m[1:] })
	}
	return s
}

// escapeLine keeps what people typed from turning into a heading: the
// engine writes no headings, so a line starting with # is someone's text.
func escapeLine(s string) string {
	if strings.HasPrefix(s, "#") {
		return "＃" + s[1:]
	}
	return s
}

// escapeInline keeps a command from breaking the bold around it.
func escapeInline(s string) string { return strings.ReplaceAll(s, "*", "＊") }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func paragraph(b *strings.Builder, s string) {
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString(s)
}

// plainTitle is the title DingTalk shows in the conversation list and
// notifications: plain text, short.
func plainTitle(title, body string) string {
	t := oneLine(title)
	if t == "" {
		for _, l := range strings.Split(body, "\n") {
			if t = oneLine(l); t != "" {
				break
			}
		}
	}
	t = strings.NewReplacer("**", "", "`", "", "#", "").Replace(t)
	if t == "" {
		t = "collabot"
	}
	if utf8.RuneCountInString(t) > 40 {
		t = string([]rune(t)[:39]) + "…"
	}
	return t
}

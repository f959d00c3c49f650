package slack

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
)

// Block Kit limits (https://api.slack.com/reference/block-kit). Section
// text is kept below its 3000 so that escaping never pushes it over.
const (
	maxBlocks        = 50   // per message
	maxHeader        = 150  // header text
	maxSection       = 2800 // section text
	maxFields        = 10   // fields per section
	maxFieldText     = 2000 // each field
	maxActions       = 25   // elements per actions block
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxFallbackRunes = 3000 // the notification text of a message
)

// outMessage is one Slack message: its blocks and the plain text Slack
// shows in notifications and where blocks cannot be shown.
type outMessage struct {
	blocks  []slack.Block
	text    string
	private bool
	// file, when set, goes up as a file with title as its comment; the
	// blocks are what is posted instead if the upload fails.
	file  *bot.File
	title string
}

// pack renders replies as few messages as fit: each reply's blocks, a
// divider between replies, never more than maxBlocks in one message.
// Private replies travel apart, since only they may be ephemeral.
func pack(replies []bot.Reply) []outMessage {
	var out []outMessage
	var cur *outMessage
	buttons := 0 // action ids must be unique within a message
	for _, r := range replies {
		blocks := renderReply(r, &buttons)
		if len(blocks) == 0 {
			continue // an empty reply: nothing to say
		}
		if r.File != nil {
			// A file travels on its own, its text the fallback.
			out = append(out, outMessage{blocks: blocks, text: fallback(r), private: r.Private, file: r.File, title: r.Title})
			cur = nil
			continue
		}
		if cur == nil || cur.private != r.Private || len(cur.blocks)+1+len(blocks) > maxBlocks {
			out = append(out, outMessage{private: r.Private})
			cur = &out[len(out)-1]
		} else {
			cur.blocks = append(cur.blocks, slack.NewDividerBlock())
			cur.text += "\n\n"
		}
		cur.blocks = append(cur.blocks, blocks...)
		cur.text += fallback(r)
	}
	for i := range out {
		out[i].text = clip(out[i].text, maxFallbackRunes)
	}
	return out
}

// renderReply is one reply as blocks: a header for the title, the body in
// sections, the fields ten to a section, the buttons 25 to an actions
// block. It never returns more than maxBlocks: an overlong body is cut
// with a note, the buttons always survive.
func renderReply(r bot.Reply, buttons *int) []slack.Block {
	var head, body, tail []slack.Block
	if t := strings.TrimSpace(r.Title); t != "" {
		head = append(head, slack.NewHeaderBlock(plain(clip(escape(oneLine(t)), maxHeader))))
	}
	for _, chunk := range bot.SplitText(mrkdwn(r.Body), maxSection) {
		body = append(body, slack.NewSectionBlock(md(chunk), nil, nil))
	}
	var fields []*slack.TextBlockObject
	for _, f := range r.Fields {
		fields = append(fields, md(clip("*"+escape(oneLine(f.Label))+"*\n"+mrkdwn(f.Value), maxFieldText)))
	}
	for len(fields) > 0 {
		n := min(len(fields), maxFields)
		body = append(body, slack.NewSectionBlock(nil, fields[:n], nil))
		fields = fields[n:]
	}
	var elems []slack.BlockElement
	for _, b := range r.Buttons {
		if e := button(b, *buttons); e != nil {
			elems = append(elems, e)
			*buttons++
		}
	}
	for len(elems) > 0 {
		n := min(len(elems), maxActions)
		tail = append(tail, slack.NewActionBlock("", elems[:n]...))
		elems = elems[n:]
	}
	room := maxBlocks - len(head) - len(tail)
	if len(tail) > maxBlocks/2 { // hundreds of buttons: keep some room for the text
		tail, room = tail[:maxBlocks/2], maxBlocks/2-len(head)
	}
	if len(body) > room {
		body = append(body[:room-1], slack.NewContextBlock("", md("…")))
	}
	return append(append(head, body...), tail...)
}

// button renders a reply's button; its action id carries the engine's
// action name ("command", "answer") and its value what it stands for. A
// button whose value Slack cannot carry is left out rather than cut, which
// would make it do something else.
func button(b bot.Button, n int) *slack.ButtonBlockElement {
	action := b.Action
	value := b.Value
	if action == "" {
		action, value = "command", b.Command
	}
	label := strings.TrimSpace(oneLine(b.Label))
	if strings.TrimSpace(value) == "" || len(value) > maxButtonValue || label == "" {
		return nil // Slack refuses a button with no text; nothing to click
	}
	e := slack.NewButtonBlockElement(action+":"+strconv.Itoa(n), value, plain(clip(label, maxButtonText)))
	switch b.Style {
	case "primary":
		e.Style = slack.StylePrimary
	case "danger":
		e.Style = slack.StyleDanger
	}
	return e
}

// parseActionID reads back the engine's action name from an action id.
func parseActionID(id string) (string, bool) {
	action, n, ok := strings.Cut(id, ":")
	if !ok || action == "" {
		return "", false
	}
	if _, err := strconv.Atoi(n); err != nil {
		return "", false
	}
	return action, true
}

// fallback is a reply as plain text.
func fallback(r bot.Reply) string {
	var parts []string
	if r.Title != "" {
		parts = append(parts, escape(r.Title))
	}
	if r.Body != "" {
		parts = append(parts, mrkdwn(r.Body))
	}
	for _, f := range r.Fields {
		parts = append(parts, escape(f.Label)+": "+escape(f.Value))
	}
	return strings.Join(parts, "\n")
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

// md is mrkdwn text marked verbatim: Slack then turns no bare address
// into a link and no #channel or @here into a mention, so what people
// typed and the bot repeats stays text. The bot's own explicit markup
// (<@U…> in a note, *bold*) still works.
func md(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

// escape makes text safe for mrkdwn: Slack reads <…> as links, mentions
// and @channel, so a topic someone typed as "<!channel>" must not ping
// everyone when the bot repeats it.
func escape(s string) string { return mrkdwnEscapes.Replace(s) }

// The replacers are built once: a strings.Replacer builds its tables on
// first use, some 25 KB per event when each call made its own (a quarter
// of all the memory the reply path allocated at 500 events/s).
var (
	mrkdwnEscapes   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	mrkdwnUnescapes = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

var (
	mdBold    = regexp.MustCompile(`\*\*(.+?)\*\*`)
	mdHeading = regexp.MustCompile(`^#{1,6}\s+(.*)$`)
	mdBullet  = regexp.MustCompile(`^(\s*)[-*+]\s+`)
)

// mrkdwn converts the engine's Markdown (bold, headings, lists, rules) to
// Slack's mrkdwn, escaping everything else. Markdown links are not
// converted: the engine writes none, so a [Login](https://…) in a reply is
// someone's text and shows as typed, its address in plain sight, rather
// than as a link whose label hides where it goes.
func mrkdwn(s string) string {
	lines := strings.Split(escape(strings.TrimRight(s, "\n")), "\n")
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "---":
			l = "────────"
		case mdHeading.MatchString(l):
			l = "*" + strings.ReplaceAll(mdHeading.FindStringSubmatch(l)[1], "**", "") + "*"
		default:
			l = mdBullet.ReplaceAllString(l, "$1• ")
		}
		lines[i] = mdBold.ReplaceAllString(l, "*$1*")
	}
	return strings.Join(lines, "\n")
}

// clip shortens s to at most n bytes and n runes (Slack counts
// characters, a byte cap is safe for both), ending with "…" if cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

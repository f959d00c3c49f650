package dingtalk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/collabot/collabot/bot"
)

// Interactive cards (互动卡片) for the notices people act on: the card
// kinds, the notices each one carries, and the variables every template
// fills (configs/dingtalk-cards/ describes them for the developer
// console). A kind without a configured template is sent as before, an
// ActionCard or markdown.

// cardKinds maps a notice kind to the card kind that carries it.
var cardKinds = map[string]string{
	"ack_requested":        "ack",
	"info_supplied":        "ack",
	"review_requested":     "review",
	"task_assigned":        "task",
	"daily_progress":       "progress",
	"minutes_to_confirm":   "minutes",
	"risk_assigned":        "risk",
	"risk_raised_on_ack":   "risk",
	"acceptance_requested": "acceptance",
}

// maxCardButtons is how many buttons a template has (btn1 … btn3); a
// notice with more writes the rest out as commands.
const maxCardButtons = 3

// Template variables. Every value is a string, as cardParamMap wants.
const (
	varTitle    = "title"
	varMarkdown = "markdown"
	varStatus   = "status"  // the decision and who made it, once made
	varDecided  = "decided" // "true" hides the buttons
	varNote     = "note"    // private to one person: why their click did nothing
)

// trackPrefix starts every outTrackId collabot gives, so a click on a
// card built elsewhere is told apart.
const trackPrefix = "collabot-"

// openMark follows trackPrefix on a card no click decides: a notice
// whose buttons are next steps or look-ups ("添加任务", "看板"), not one
// decision. Its buttons stay; the engine refuses what cannot be done
// twice.
const openMark = "o"

// staysOpen reports whether a card is one no click decides.
func staysOpen(outTrackID string) bool {
	return strings.HasPrefix(outTrackID, trackPrefix+openMark)
}

func btnVar(i int, what string) string { return "btn" + strconv.Itoa(i) + "_" + what }

// cardBook remembers the cards decided in this process: a second click
// that raced the update is told so without asking the engine again.
type cardBook struct {
	mu      sync.Mutex
	decided map[string]string // outTrackId → its status line
	order   []string
}

const cardBookSize = 4096

func (b *cardBook) status(id string) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.decided[id]
	return s, ok
}

func (b *cardBook) decide(id, status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.decided == nil {
		b.decided = map[string]string{}
	}
	if _, ok := b.decided[id]; !ok {
		b.order = append(b.order, id)
		if len(b.order) > cardBookSize {
			delete(b.decided, b.order[0])
			b.order = b.order[1:]
		}
	}
	b.decided[id] = status
}

// cardTemplate is the template id for a notification, "" when it is not
// sent as a card.
func (a *Adapter) cardTemplate(n bot.Notification) string {
	if len(a.opt.Cards) == 0 || n.Kind == bot.KindReply || n.Kind == bot.KindHome {
		return ""
	}
	if kind, ok := cardKinds[n.Kind]; ok {
		return a.opt.Cards[kind]
	}
	// Any other notice with something to press ("add a task", "archive")
	// is a card too where a template for them is configured, so that its
	// buttons work in a group.
	if slices.ContainsFunc(n.Reply.Buttons, func(b bot.Button) bool { return b.Command != "" }) {
		return a.opt.Cards["notice"]
	}
	return ""
}

// sendCard sends n as an interactive card when its kind has a template;
// ok is false when it does not, for the caller to send it as before. A
// person's card goes into the collaboration's DingTalk group, with them
// @-mentioned, where there is one (a click there reaches the robot,
// unlike an ActionCard's), else into their 1:1 chat with the robot.
func (a *Adapter) sendCard(ctx context.Context, n bot.Notification) (ok bool, err error) {
	if n.Kind == "daily_progress" && a.formTemplate() != "" {
		if sent, err := a.sendProgressForms(ctx, n); sent || err != nil {
			return true, err
		}
	}
	tpl := a.cardTemplate(n)
	if tpl == "" {
		return false, nil
	}
	var space cardSpace
	conv, groupErr := conversation(n)
	if n.To != "" {
		staff, err := staffID(n)
		if err != nil {
			return true, err
		}
		space = cardSpace{id: staff}
		if groupErr == nil {
			space = cardSpace{group: true, id: conv, mention: map[string]string{staff: a.name(staff)}}
		}
	} else {
		if groupErr != nil {
			return true, groupErr
		}
		space = cardSpace{group: true, id: conv}
	}
	data := cardData(n.Reply, langOf(n, a.opt.Lang), space.group)
	id := outTrackID(n, staffOf(n))
	if _, decides := cardKinds[n.Kind]; !decides {
		id = trackPrefix + openMark + strings.TrimPrefix(id, trackPrefix)
	}
	if err := a.api.(cardsAPI).createCard(ctx, tpl, id, space, data); err != nil {
		return true, a.outcome(n, err, nil, nil)
	}
	return true, nil
}

// cardData fills a template's variables from a reply: its text as
// DingTalk markdown, its first buttons as the card's, the others
// written out as commands.
func cardData(r bot.Reply, lang bot.Lang, group bool) map[string]string {
	var buttons, typed []bot.Button
	for _, b := range r.Buttons {
		switch {
		case b.Command == "":
		case len(buttons) < maxCardButtons:
			buttons = append(buttons, b)
		default:
			typed = append(typed, b)
		}
	}
	text := r
	text.Title, text.Buttons = "", nil
	var body []string
	for _, m := range render(text, false, lang) {
		body = append(body, m.Text)
	}
	if len(typed) > 0 {
		body = append(body, commandHint(typed, group, lang))
	}
	data := map[string]string{varTitle: plainTitle(r.Title, r.Body), varMarkdown: strings.Join(body, "\n\n"),
		varStatus: "", varDecided: "false", varNote: ""}
	for i := 1; i <= maxCardButtons; i++ {
		var b bot.Button
		if i <= len(buttons) {
			b = buttons[i-1]
		}
		setButton(data, i, oneLine(b.Label), command(b), b.Style)
	}
	return data
}

func setButton(data map[string]string, i int, label, cmd, style string) {
	data[btnVar(i, "text")], data[btnVar(i, "command")], data[btnVar(i, "style")] = label, cmd, style
}

// command is what a button's click sends the engine: the command it
// stands for in the engine's own words where it carries one.
func command(b bot.Button) string {
	if b.Action == "command" && b.Value != "" {
		return b.Value
	}
	return b.Command
}

// staffOf is the staff id a person's notification goes to, "" for a
// group's.
func staffOf(n bot.Notification) string {
	if n.To == "" {
		return ""
	}
	s, _ := staffID(n)
	return s
}

// outTrackID names a notification's card: derived from the outbox row's
// key, so a card sent again after a crash hid the first send's outcome
// is the same card. A person's card carries who it is for (after a
// dot, base64url), so that in a group a click by someone else is told
// so rather than taken as theirs: "ack COL-1 accept" pressed by another
// department's contact would answer for their own department.
func outTrackID(n bot.Notification, staff string) string {
	id := noticeTrack(n)
	if staff != "" {
		id += "." + base64.RawURLEncoding.EncodeToString([]byte(staff))
	}
	return id
}

// addressee is the staff id a card is for, "" for a group's card.
func addressee(outTrackID string) string {
	_, enc, ok := strings.Cut(strings.TrimPrefix(outTrackID, trackPrefix), ".")
	if !ok {
		return ""
	}
	staff, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return ""
	}
	return string(staff)
}

func noticeTrack(n bot.Notification) string {
	key := n.Key
	if key == "" && n.ID != 0 {
		key = "id/" + strconv.FormatInt(n.ID, 10)
	}
	if key == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		return trackPrefix + hex.EncodeToString(b[:])
	}
	sum := sha256.Sum256([]byte(key))
	return trackPrefix + hex.EncodeToString(sum[:16])
}

// name is how a person is shown on a card: their name in the directory,
// else their staff id.
func (a *Adapter) name(staff string) string {
	if a.opt.Directory != nil {
		if p, ok := a.opt.Directory.ByIdentity(bot.DingTalk, staff); ok && p.Name != "" {
			return p.Name
		}
	}
	return staff
}

// cardsAPI is the card part of the OpenAPI (cards_api.go).
type cardsAPI interface {
	createCard(ctx context.Context, template, outTrackID string, space cardSpace, data map[string]string) error
	updateCard(ctx context.Context, outTrackID string, data map[string]string) error
}

package dingtalk

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Form cards: the engine's forms as data (bot.Form) drawn as an
// interactive card with an input per field, so that filing, planning,
// delivery, the retrospective and daily progress are filled in on the
// card rather than typed line by line. The card's submit button sends
// the inputs back in the callback's params ("in_<field key>"), next to
// the command that opened the form; the form is described again from
// that command when submitted (it may have changed since), and the
// engine's per-field problems are written back onto the same card.

// Form card variables, beside the notice card's (cards.go).
const (
	varFields   = "fields"   // JSON: the inputs (cardField), a loop in the template
	varProblems = "problems" // what is wrong with the submission that names no field
	varCommand  = "command"  // the command that opened the form
	varSubmit   = "submit_text"
	varForm     = "form" // "true" on a form card: show the inputs and the submit button
)

// inputPrefix starts a field's key in the callback's params.
const inputPrefix = "in_"

// actionSubmit is the submit button's action in the callback's params.
const actionSubmit = "submit"

// cardField is one input of a form card, as the template's loop reads it.
type cardField struct {
	Key         string       `json:"key"`
	Name        string       `json:"name"` // the param the input's value comes back as
	Kind        string       `json:"kind"` // text, textarea, date, datetime, number, select, multiselect, person, people
	Label       string       `json:"label"`
	Placeholder string       `json:"placeholder,omitempty"`
	Required    bool         `json:"required"`
	Options     []cardOption `json:"options,omitempty"`
	Value       []string     `json:"value,omitempty"`
	Error       string       `json:"error,omitempty"`
	// When: the input is shown only while the select Field has one of In.
	When *bot.FormCondition `json:"when,omitempty"`
}

type cardOption struct {
	Value string `json:"value"`
	Text  string `json:"text"`
}

// cardKind is how a field kind is drawn on a card.
var cardKindOf = map[bot.InputKind]string{
	bot.InputText: "text", bot.InputLongText: "textarea", bot.InputDate: "date", bot.InputDateTime: "datetime",
	bot.InputNumber: "number", bot.InputChoice: "select", bot.InputChoices: "multiselect",
	bot.InputPerson: "person", bot.InputPeople: "people", bot.InputDepartment: "select", bot.InputDepartments: "multiselect",
}

// formTemplate is the template of form cards, "" without one.
func (a *Adapter) formTemplate() string { return a.opt.Cards["form"] }

// forms is the engine's forms as data, nil without them.
func (a *Adapter) forms() FormService {
	if a.opt.Forms != nil {
		return a.opt.Forms
	}
	f, _ := a.opt.Handler.(FormService)
	return f
}

// drawsForm reports whether a form is drawn as a card rather than
// submitted on one tap or asked in the chat: something is left to fill
// in, and there is a template for it.
func (a *Adapter) drawsForm(f *bot.Form) bool {
	return f != nil && a.formTemplate() != "" && (asks(f) || (!f.OneTap && len(f.Fields) > 0))
}

// formCardData fills a form card's variables: values and problems by
// field key, kept when a submission is refused.
func formCardData(f *bot.Form, cmd string, values map[string][]string, problems []bot.FormProblem) map[string]string {
	lang := f.Lang
	byField := map[string]string{}
	var other []string
	for _, p := range problems {
		if p.Field != "" && slices.ContainsFunc(f.Fields, func(x bot.FormField) bool { return x.Key == p.Field }) {
			byField[p.Field] = p.Message
			continue
		}
		other = append(other, p.Message)
	}
	fields := make([]cardField, 0, len(f.Fields))
	for _, x := range f.Fields {
		cf := cardField{Key: x.Key, Name: inputPrefix + x.Key, Kind: cardKindOf[x.Kind], Label: x.Label.In(lang),
			Placeholder: x.Example.In(lang), Required: x.Required, Value: x.Value, Error: byField[x.Key], When: x.When}
		if cf.Kind == "" {
			cf.Kind = "text"
		}
		if cf.Placeholder == "" {
			cf.Placeholder = x.Help.In(lang)
		}
		for _, c := range x.Choices {
			cf.Options = append(cf.Options, cardOption{Value: c.Value, Text: c.Label.In(lang)})
		}
		for _, p := range x.People {
			cf.Value = append(cf.Value, p.ID)
		}
		if v, ok := values[x.Key]; ok {
			cf.Value = v
		}
		fields = append(fields, cf)
	}
	js, _ := json.Marshal(fields)
	var md []string
	if len(f.Subject) > 0 {
		md = append(md, "**"+strings.Join(f.Subject, " · ")+"**")
	}
	data := map[string]string{varTitle: f.Title.In(lang), varMarkdown: strings.Join(md, "\n\n"), varStatus: "",
		varDecided: "false", varNote: "", varForm: "true", varFields: string(js), varCommand: cmd,
		varSubmit: words.Get(lang, "adapter.dingtalk.card.submit", nil), varProblems: ""}
	if len(problems) > 0 {
		data[varProblems] = words.Get(lang, "adapter.dingtalk.card.fix", nil)
		if len(other) > 0 {
			data[varProblems] += "\n" + strings.Join(other, "\n")
		}
	}
	for i := 1; i <= maxCardButtons; i++ {
		setButton(data, i, "", "", "")
	}
	return data
}

// formTrack names a form card opened by an event: the same event opens
// the same card, and only the person it was opened for may submit it.
func formTrack(event, staff string) string {
	sum := sha256.Sum256([]byte("form/" + event))
	return trackPrefix + hex.EncodeToString(sum[:16]) + "." + base64.RawURLEncoding.EncodeToString([]byte(staff))
}

// openForm sends the form a message opened as a card into the space it
// came from (a group, @-mentioning who opened it, or their 1:1 chat).
func (a *Adapter) openForm(ctx context.Context, m bot.Message, f *bot.Form, cmd string) error {
	space := cardSpace{id: m.From.ID}
	if !m.Direct {
		space = cardSpace{group: true, id: m.Channel, mention: map[string]string{m.From.ID: a.name(m.From.ID)}}
	}
	api, ok := a.api.(cardsAPI)
	if !ok {
		return fmt.Errorf("dingtalk: no card API")
	}
	return api.createCard(ctx, a.formTemplate(), formTrack(m.EventID, m.From.ID), space, formCardData(f, cmd, nil, nil))
}

// queueForm opens a form card after the callback's acknowledgement.
func (a *Adapter) queueForm(m bot.Message, f *bot.Form, cmd string) {
	a.out.enqueue(m.Channel, func() {
		ctx, cancel := context.WithTimeout(a.workContext(), replyTimeout)
		defer cancel()
		if err := a.openForm(ctx, m, f, cmd); err != nil {
			a.log.Error("form card not sent", "event", m.EventID, "err", err)
		}
	})
}

func (a *Adapter) workContext() context.Context {
	if w := a.workCtx(); w != nil {
		return w
	}
	return context.Background()
}

// typedForm answers a typed command that opens a form with something to
// fill in by sending the form as a card; handled is false when the
// message is left to the engine's chat dialog.
func (a *Adapter) typedForm(ctx context.Context, m bot.Message) (handled bool, err error) {
	forms := a.forms()
	if forms == nil || a.formTemplate() == "" || strings.Contains(m.Text, "\n") {
		return false, nil
	}
	f, err := forms.FormFor(ctx, m)
	if err != nil || !a.drawsForm(f) {
		return false, err
	}
	a.queueForm(m, f, m.Text)
	return true, nil
}

// submitForm takes a form card's submission: the inputs read as the
// form's fields ask them, submitted to the engine; the card is then
// decided, or shows what to fix.
func (a *Adapter) submitForm(ctx context.Context, m bot.Message, req *card.CardRequest, cmd string) (*payload.DataFrameResponse, outcome, error) {
	forms := a.forms()
	if forms == nil {
		r, err := cardAck() // no forms to submit to: a card built for another setup
		return r, clickRefused, err
	}
	m.Text = cmd
	f, err := forms.FormFor(ctx, m)
	if err != nil {
		return nil, 0, err
	}
	if f == nil {
		r, err := cardNote(words.Get(a.opt.Lang, "adapter.dingtalk.card.form_gone", nil))
		return r, clickRefused, err
	}
	sub, values := submission(f, req.CardActionData.CardPrivateData.Params)
	// One submission per card, whichever press or replica brings it: the
	// engine records the card's key in the same transaction as the change
	// (a refused submission rolls back, so a corrected one still goes
	// through), where the press's own frame id would let a second press
	// on another replica, or after a crash before markDecided, file again.
	m.EventID = formEvent(req.OutTrackId)
	res, err := forms.Submit(ctx, m, sub)
	switch {
	case err != nil:
		return nil, 0, err
	case !res.OK():
		data := formCardData(f, cmd, values, res.Problems)
		a.out.enqueue(m.Channel, func() { a.updateCard(req.OutTrackId, data) })
		r, err := cardNote(refusalText(problemReplies(res)))
		return r, clickRefused, err
	case res.Replies == nil:
		// Submitted before, by another press or process whose decided
		// mark or card update was lost: note it now and hide the inputs.
		// Not put in the book: a press after this asks Submit again, which
		// answers the same.
		a.markDecided(ctx, req.OutTrackId)
		data := hidden()
		data[varStatus], data[varProblems] = words.Get(f.Lang, "adapter.dingtalk.card.already_decided", nil), ""
		a.out.enqueue(m.Channel, func() { a.updateCard(req.OutTrackId, data) })
		r, err := cardNote(words.Get(a.opt.Lang, "adapter.dingtalk.card.already_decided", nil))
		return r, clickDuplicate, err
	}
	status := words.Get(f.Lang, "adapter.dingtalk.card.submitted", words.Args{"name": a.name(req.UserId)})
	data := map[string]string{varDecided: "true", varStatus: status, varProblems: ""}
	a.book.decide(req.OutTrackId, status)
	a.markDecided(ctx, req.OutTrackId)
	a.out.enqueue(m.Channel, func() { a.updateCard(req.OutTrackId, data) })
	to := target{conversation: m.Channel, direct: m.Direct, user: req.UserId}
	replies := res.Replies
	a.out.enqueue(m.Channel, func() { a.deliverReplies(to, replies) })
	r, err := cardAck()
	return r, clickDecided, err
}

// formEvent is the event a form card's submission is recorded under in
// the engine's ledger (workspace-scoped, "dingtalk:" put before it by
// the engine): the card's outTrackId, which is one card's alone
// (formTrack, sendProgressForms), beside "card:<frame>" of presses.
func formEvent(outTrackID string) string { return "card-form:" + outTrackID }

// submission reads a form card's inputs as the form's fields: text as
// typed, choices by value, people by staff id; the answers the command
// gave go back as given. values are the inputs by field key, to show
// again if the submission is refused.
func submission(f *bot.Form, params map[string]any) (bot.Submission, map[string][]string) {
	sub := bot.Submission{Form: f.Name, Target: f.Target, Values: map[string][]string{}, People: map[string][]bot.Identity{}}
	for k, v := range f.Given {
		sub.Values[k] = []string{v}
	}
	values := map[string][]string{}
	for _, x := range f.Fields {
		in := strs(params[inputPrefix+x.Key])
		if len(in) == 0 {
			continue
		}
		values[x.Key] = in
		switch x.Kind {
		case bot.InputPerson, bot.InputPeople:
			for _, id := range in {
				sub.People[x.Key] = append(sub.People[x.Key], bot.Identity{Platform: bot.DingTalk, ID: strings.TrimPrefix(id, "@")})
			}
		default:
			sub.Values[x.Key] = in
		}
	}
	return sub, values
}

// strs is an input's value: a string, or a list of them (a multiple
// choice, a person picker), blanks dropped. A number input may come as a
// JSON number: it reads as written, without an exponent (1000000, not
// 1e+06).
func strs(v any) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s, ok := scalar(e); ok {
				add(s)
			}
		}
	case []string:
		for _, s := range x {
			add(s)
		}
	default:
		if s, ok := scalar(v); ok {
			add(s)
		}
	}
	return out
}

// scalar is one input value as text: a string, or a number.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return strconv.FormatInt(n, 10), true
		}
		if f, err := x.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64), true
		}
	}
	return "", false
}

// sendProgressForms sends the daily progress request as the progress
// form of each collaboration it names, drawn for the person: one card
// per collaboration, a status per open task of theirs prefilled, and
// done / not done / problems to fill in; one submit records the day.
// sent is false when no form could be described (the request then goes
// as before).
func (a *Adapter) sendProgressForms(ctx context.Context, n bot.Notification) (sent bool, err error) {
	forms := a.forms()
	staff, err := staffID(n)
	if forms == nil || err != nil {
		return false, err
	}
	api, ok := a.api.(cardsAPI)
	if !ok {
		return false, nil
	}
	base := noticeTrack(n)
	for i, b := range n.Reply.Buttons {
		cmd := command(b)
		if cmd == "" {
			continue
		}
		m := bot.Message{Workspace: a.opt.Workspace, Platform: bot.DingTalk, Channel: staff, Direct: true,
			From: bot.Identity{Platform: bot.DingTalk, ID: staff}, Text: cmd}
		f, err := forms.FormFor(ctx, m)
		if err != nil {
			return sent, err
		}
		if f == nil || f.Name != "progress" {
			continue
		}
		id := fmt.Sprintf("%sp%d.%s", base, i, base64.RawURLEncoding.EncodeToString([]byte(staff)))
		if err := api.createCard(ctx, a.formTemplate(), id, cardSpace{id: staff}, formCardData(f, cmd, nil, nil)); err != nil {
			return true, a.outcome(n, err, nil, nil)
		}
		sent = true
	}
	return sent, nil
}

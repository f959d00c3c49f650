package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// A modal is built from the same template as the chat dialog: one input
// block per field, its block id the field's key, its action id "v".
const (
	modalCallback   = "collab_form"
	inputAction     = "v"
	maxMetadata     = 3000 // private_metadata
	maxModalTitle   = 24
	maxLabel        = 2000
	maxPlaceholder  = 150
	maxOptionText   = 75
	maxOptions      = 100
	maxTextInput    = 3000
	maxKeptOriginal = 800 // of a clicked message's text, when all of it does not fit
)

// FormService is the engine's forms as data: the form a command opens,
// and its submission. The engine keeps the commands and their words; the
// adapter only draws the form and reads it back.
type FormService interface {
	FormFor(ctx context.Context, m bot.Message) (*bot.Form, error)
	Submit(ctx context.Context, m bot.Message, s bot.Submission) (bot.FormResult, error)
}

// modalMeta travels with the modal (private_metadata) to its submission:
// what the form is about and where its answers go.
type modalMeta struct {
	Form    string            `json:"f"`
	Target  string            `json:"t,omitempty"`
	Given   map[string]string `json:"v,omitempty"`
	Channel string            `json:"ch"`
	Direct  bool              `json:"d,omitempty"`
	Thread  string            `json:"th,omitempty"`
	Reply   string            `json:"r,omitempty"` // a slash command's response_url
	Click   *clickMeta        `json:"k,omitempty"`
}

// clickMeta is the message whose button opened the modal, retired when
// the form is submitted.
type clickMeta struct {
	Channel   string          `json:"ch"`
	TS        string          `json:"ts"`
	URL       string          `json:"u,omitempty"`
	Ephemeral bool            `json:"e,omitempty"`
	Label     string          `json:"l,omitempty"`
	Blocks    json.RawMessage `json:"b,omitempty"`
}

// openForm opens the modal for the engine's form within the trigger's life.
func (a *Adapter) openForm(ctx context.Context, in inbound, form *bot.Form) error {
	meta := modalMeta{Form: form.Name, Target: form.Target, Given: form.Given, Channel: in.msg.Channel,
		Direct: in.msg.Direct, Thread: in.to.thread, Reply: in.to.responseURL}
	if c := in.click; c != nil {
		meta.Click = &clickMeta{Channel: c.channel, TS: c.ts, URL: c.responseURL, Ephemeral: c.ephemeral, Label: in.label}
	}
	raw, err := encodeMeta(meta, in.click)
	if err != nil {
		return err
	}
	_, err = a.api.OpenViewContext(ctx, in.trigger, buildModal(form, raw))
	return wrap("views.open", err)
}

// encodeMeta fits the metadata into Slack's 3000 characters: with the
// clicked message's blocks if they fit, else with its first lines, else
// without them (the retired message then shows only who clicked what).
func encodeMeta(meta modalMeta, c *clicked) (string, error) {
	var tries [][]slack.Block
	if c != nil {
		kept := keepBlocks(c.blocks)
		tries = append(tries, kept, shortened(kept))
	}
	for _, blocks := range append(tries, nil) {
		if meta.Click != nil {
			meta.Click.Blocks = nil
			if len(blocks) > 0 {
				b, err := json.Marshal(blocks)
				if err != nil {
					return "", fmt.Errorf("slack: modal metadata: %w", err)
				}
				meta.Click.Blocks = b
			}
		}
		raw, err := json.Marshal(meta)
		if err != nil {
			return "", fmt.Errorf("slack: modal metadata: %w", err)
		}
		if len(raw) <= maxMetadata {
			return string(raw), nil
		}
	}
	return "", fmt.Errorf("slack: modal metadata over %d bytes", maxMetadata)
}

// shortened keeps a message's header and the start of its first section.
func shortened(blocks []slack.Block) []slack.Block {
	var out []slack.Block
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			out = append(out, b)
		case *slack.SectionBlock:
			if b.Text != nil {
				return append(out, slack.NewSectionBlock(md(clip(b.Text.Text, maxKeptOriginal)), nil, nil))
			}
		}
	}
	return out
}

func decodeMeta(raw string) (modalMeta, error) {
	var m modalMeta
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return m, fmt.Errorf("slack: modal metadata: %w", err)
	}
	return m, nil
}

// langOf is the language a person reads modals in: theirs from the
// directory, or the workspace's.
func (a *Adapter) langOf(user string) bot.Lang {
	if a.opts.Directory != nil {
		if p, ok := a.opts.Directory.ByIdentity(bot.Slack, user); ok && p.Lang != "" {
			return p.Lang
		}
	}
	return a.opts.Lang
}

// buildModal draws the engine's form as a modal: one input block per
// field, its block id the field's key, its action id "v". A field that
// exists only for some answer of a choice not made yet is offered as
// optional, with the condition in its label; the engine checks it on
// submission.
func buildModal(form *bot.Form, meta string) slack.ModalViewRequest {
	lang := form.Lang
	var blocks []slack.Block
	if len(form.Subject) > 0 {
		blocks = append(blocks, slack.NewContextBlock("subject", md(escape(strings.Join(form.Subject, " · ")))))
	}
	for _, f := range form.Fields {
		label := f.Label.In(lang)
		required := f.Required
		if f.When != nil {
			label += " (" + condition(form, f.When, lang) + ")"
			required = false
		}
		in := slack.NewInputBlock(f.Key, plain(clip(label, maxLabel)), nil, element(f, lang))
		if h := firstNonEmpty(f.Help.In(lang), f.Prompt.In(lang)); h != "" {
			in.Hint = plain(clip(h, maxLabel))
		}
		in.Optional = !required
		blocks = append(blocks, in)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(clip(form.Title.In(lang), maxModalTitle)),
		Submit:          plain(words.Get(lang, "adapter.modal.submit", nil)),
		Close:           plain(words.Get(lang, "adapter.modal.cancel", nil)),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: meta,
		CallbackID:      modalCallback,
	}
}

// condition describes a When in words: "确认结果: 无法承接".
func condition(form *bot.Form, c *bot.FormCondition, lang bot.Lang) string {
	var ctl *bot.FormField
	for i := range form.Fields {
		if form.Fields[i].Key == c.Field {
			ctl = &form.Fields[i]
		}
	}
	if ctl == nil {
		return c.Field
	}
	var labels []string
	for _, v := range c.In {
		for _, ch := range ctl.Choices {
			if ch.Value == v {
				labels = append(labels, ch.Label.In(lang))
			}
		}
	}
	return ctl.Label.In(lang) + ": " + strings.Join(labels, " / ")
}

// element is the input for one field: a select for choices, departments
// and people, a date picker for dates, text otherwise; with the field's
// current answer when it has one.
func element(f bot.FormField, lang bot.Lang) slack.BlockElement {
	ph := plain(clip(firstNonEmpty(f.Example.In(lang), f.Label.In(lang)), maxPlaceholder))
	var opts []*slack.OptionBlockObject
	for _, c := range f.Choices {
		opts = append(opts, slack.NewOptionBlockObject(c.Value, plain(clip(c.Label.In(lang), maxOptionText)), nil))
	}
	opts = limit(opts)
	picked := func() []*slack.OptionBlockObject {
		var out []*slack.OptionBlockObject
		for _, o := range opts {
			if slices.Contains(f.Value, o.Value) {
				out = append(out, o)
			}
		}
		return out
	}
	switch f.Kind {
	case bot.InputChoice, bot.InputDepartment:
		if len(opts) > 0 {
			e := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, ph, inputAction, opts...)
			if p := picked(); len(p) > 0 {
				e.InitialOption = p[0]
			}
			return e
		}
	case bot.InputChoices, bot.InputDepartments:
		if len(opts) > 0 {
			e := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, ph, inputAction, opts...)
			e.InitialOptions = picked()
			return e
		}
	case bot.InputPerson:
		e := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, ph, inputAction)
		if len(f.People) > 0 {
			e.InitialUser = f.People[0].ID
		}
		return e
	case bot.InputPeople:
		e := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, ph, inputAction)
		for _, p := range f.People {
			e.InitialUsers = append(e.InitialUsers, p.ID)
		}
		return e
	case bot.InputDate:
		e := slack.NewDatePickerBlockElement(inputAction)
		e.Placeholder = ph
		if len(f.Value) > 0 {
			e.InitialDate = f.Value[0]
		}
		return e
	}
	e := slack.NewPlainTextInputBlockElement(ph, inputAction)
	e.Multiline = multiline(f.Kind)
	if f.Max > 0 {
		e.MaxLength = min(f.Max, maxTextInput)
	} else if e.Multiline {
		e.MaxLength = maxTextInput
	}
	if len(f.Value) > 0 {
		e.InitialValue = clip(strings.Join(f.Value, separator(f.Kind)), maxTextInput)
	}
	return e
}

func limit(opts []*slack.OptionBlockObject) []*slack.OptionBlockObject {
	return opts[:min(len(opts), maxOptions)]
}

// multiline: the kinds whose answer spans lines; a department or people
// field typed as text (no directory to pick from) takes one per line too.
func multiline(k bot.InputKind) bool {
	switch k {
	case bot.InputLongText, bot.InputDepartments, bot.InputPeople, bot.InputChoices:
		return true
	}
	return false
}

// separator joins several values of a field typed as text.
func separator(k bot.InputKind) string {
	if multiline(k) {
		return "\n"
	}
	return " "
}

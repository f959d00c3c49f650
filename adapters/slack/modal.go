package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
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

// modalMeta travels with the modal (private_metadata) to its submission:
// what the form is about and where its answers go.
type modalMeta struct {
	Form    string            `json:"f"`
	Command string            `json:"c"`
	Values  map[string]string `json:"v,omitempty"`
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

// openForm opens the modal for a form command within the trigger's life.
func (a *Adapter) openForm(ctx context.Context, in inbound, spec formSpec) error {
	t, ok := a.opts.Forms.Get(spec.Form)
	if !ok {
		return fmt.Errorf("slack: no template %q", spec.Form)
	}
	meta := modalMeta{Form: spec.Form, Command: spec.Command, Values: spec.Values, Channel: in.msg.Channel,
		Direct: in.msg.Direct, Thread: in.to.thread, Reply: in.to.responseURL}
	if c := in.click; c != nil {
		meta.Click = &clickMeta{Channel: c.channel, TS: c.ts, URL: c.responseURL, Ephemeral: c.ephemeral, Label: in.label}
	}
	raw, err := encodeMeta(meta, in.click)
	if err != nil {
		return err
	}
	view := a.buildModal(t, spec, a.langOf(in.msg.From.ID), raw)
	_, err = a.api.OpenViewContext(ctx, in.trigger, view)
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

// buildModal renders a template as a modal. Fields the command already
// answered are left out (and named at the top); a field that exists only
// for some answer of a choice not made yet is offered as optional, with
// the condition in its label, and the engine checks it on submission.
func (a *Adapter) buildModal(t *forms.Template, spec formSpec, lang bot.Lang, meta string) slack.ModalViewRequest {
	var blocks []slack.Block
	var subject []string
	subject = append(subject, spec.Refs...)
	for _, f := range t.Fields {
		if v, ok := spec.Values[f.Key]; ok {
			if c, ok := f.Choice(v); ok {
				subject = append(subject, c.Label.In(lang))
			}
		}
	}
	if len(subject) > 0 {
		blocks = append(blocks, slack.NewContextBlock("subject", md(escape(strings.Join(subject, " · ")))))
	}
	for _, f := range t.Fields {
		if _, given := spec.Values[f.Key]; given {
			continue
		}
		label := f.Label.In(lang)
		required := t.Requires(f, spec.Values)
		if f.When != nil {
			if _, decided := spec.Values[f.When.Field]; decided {
				if !t.Active(f, spec.Values) {
					continue
				}
			} else {
				label += " (" + condition(t, f.When, lang) + ")"
				required = false
			}
		}
		in := slack.NewInputBlock(f.Key, plain(clip(label, maxLabel)), nil, a.element(f, lang))
		if h := firstNonEmpty(f.Help.In(lang), f.Prompt.In(lang)); h != "" {
			in.Hint = plain(clip(h, maxLabel))
		}
		in.Optional = !required
		blocks = append(blocks, in)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(clip(t.Title.In(lang), maxModalTitle)),
		Submit:          plain(words.Get(lang, "adapter.modal.submit", nil)),
		Close:           plain(words.Get(lang, "adapter.modal.cancel", nil)),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: meta,
		CallbackID:      modalCallback,
	}
}

// condition describes a When in words: "确认结果: 无法承接".
func condition(t *forms.Template, c *forms.Condition, lang bot.Lang) string {
	ctl, ok := t.Field(c.Field)
	if !ok {
		return c.Field
	}
	var labels []string
	for _, v := range c.In {
		if ch, ok := ctl.Choice(v); ok {
			labels = append(labels, ch.Label.In(lang))
		}
	}
	return ctl.Label.In(lang) + ": " + strings.Join(labels, " / ")
}

// element is the input for one field: a select for choices, departments
// and people, a date picker for dates, text otherwise.
func (a *Adapter) element(f *forms.Field, lang bot.Lang) slack.BlockElement {
	ph := plain(clip(firstNonEmpty(f.Example.In(lang), f.Label.In(lang)), maxPlaceholder))
	switch f.Type {
	case forms.TypeChoice:
		var opts []*slack.OptionBlockObject
		for _, c := range f.Choices {
			opts = append(opts, slack.NewOptionBlockObject(c.Value, plain(clip(c.Label.In(lang), maxOptionText)), nil))
		}
		return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, ph, inputAction, limit(opts)...)
	case forms.TypeDepartment, forms.TypeDepartments:
		if a.opts.Directory != nil && len(a.opts.Directory.Departments) > 0 {
			var opts []*slack.OptionBlockObject
			for _, d := range a.opts.Directory.Departments {
				opts = append(opts, slack.NewOptionBlockObject(d.Name, plain(clip(d.Name, maxOptionText)), nil))
			}
			if f.Type == forms.TypeDepartment {
				return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, ph, inputAction, limit(opts)...)
			}
			return slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, ph, inputAction, limit(opts)...)
		}
	case forms.TypePerson:
		return slack.NewOptionsSelectBlockElement(slack.OptTypeUser, ph, inputAction)
	case forms.TypePeople:
		return slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, ph, inputAction)
	case forms.TypeDate:
		e := slack.NewDatePickerBlockElement(inputAction)
		e.Placeholder = ph
		return e
	}
	e := slack.NewPlainTextInputBlockElement(ph, inputAction)
	e.Multiline = multiline(f.Type)
	if (f.Type == forms.TypeText || f.Type == forms.TypeLongText) && f.Max > 0 {
		e.MaxLength = min(f.Max, maxTextInput)
	} else if e.Multiline {
		e.MaxLength = maxTextInput
	}
	return e
}

func limit(opts []*slack.OptionBlockObject) []*slack.OptionBlockObject {
	return opts[:min(len(opts), maxOptions)]
}

// multiline: the types whose answer spans lines, as the chat dialog reads them.
func multiline(t forms.Type) bool {
	switch t {
	case forms.TypeLongText, forms.TypeList, forms.TypeActions, forms.TypeDeliverables,
		forms.TypeStatuses, forms.TypePeople, forms.TypeDepartments:
		return true
	}
	return false
}

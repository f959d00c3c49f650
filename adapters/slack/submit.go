package slack

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// maxModalError keeps an error under a field readable.
const maxModalError = 300

// submission is the outcome of a modal's submission: errors to show on
// the modal (which then stays open), or replies to post once it closed.
type submission struct {
	errors  map[string]string // block id -> message
	replies []bot.Reply
	to      route
	click   *clicked
	label   string
	ok      bool // committed
}

// response is what the submission's ack carries: the errors, or nothing,
// which closes the modal.
func (s submission) response() any {
	if len(s.errors) == 0 {
		return nil
	}
	return slack.NewErrorsViewSubmissionResponse(s.errors)
}

// submit hands a modal's answers to the engine the way a person would
// paste them in chat: the command line, then one "key: value" line per
// answer; then "confirm", since the modal's Submit is the confirmation.
// Anything the engine refuses comes back as errors under the fields it
// names, and the half-filled chat form is dropped again so that it does
// not catch the person's next message.
func (a *Adapter) submit(ctx context.Context, ic *slack.InteractionCallback) submission {
	meta, err := decodeMeta(ic.View.PrivateMetadata)
	if err != nil {
		a.log.Warn("modal submission without metadata", "err", err)
		return submission{}
	}
	t, ok := a.opts.Forms.Get(meta.Form)
	if !ok {
		a.log.Warn("modal submission for an unknown form", "form", meta.Form)
		return submission{}
	}
	user := ic.User.ID
	lang := a.langOf(user)
	keys := inputKeys(ic.View)
	lines, ms := answers(t, meta, ic.View.State)
	if len(lines) == 0 {
		return submission{errors: errorsOn(keys, "", words.Get(lang, "adapter.modal.fill_one", nil))}
	}
	out := submission{to: route{channel: meta.Channel, thread: meta.Thread, user: user, responseURL: meta.Reply}}
	if c := meta.Click; c != nil {
		out.click = &clicked{channel: c.Channel, ts: c.TS, responseURL: c.URL, user: user, ephemeral: c.Ephemeral}
		out.label = c.Label
		if len(c.Blocks) > 0 {
			var b slack.Blocks
			if err := json.Unmarshal(c.Blocks, &b); err == nil {
				out.click.blocks = b.BlockSet
			}
		}
	}
	if c := out.click; c != nil && c.ephemeral {
		out.to.responseURL = c.responseURL
	}
	id := firstNonEmpty(ic.TriggerID, ic.View.ID+ic.View.Hash)
	base := bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack, Channel: meta.Channel, Direct: meta.Direct,
		From: bot.Identity{Platform: bot.Slack, ID: user}, Name: a.nameOf(ctx, user), Mentions: ms}

	paste := base
	paste.EventID = "view:" + id + ":form"
	paste.Text = pasted(t, meta, lines)
	first, err := a.handle(ctx, paste)
	if err != nil || first == nil { // a failure (its apology is posted), or a redelivery
		out.replies = first
		return out
	}
	if errs := fieldErrors(t, first, keys, lang); len(errs) > 0 || refused(first) {
		if len(errs) == 0 {
			errs = errorsOn(keys, "", firstNonEmpty(warnings(first), firstLine(first)))
		}
		a.dropForm(ctx, base, id, t, first)
		out.errors, out.replies = errs, first
		return out
	}
	if !atSummary(first) { // committed at once ("review COL-1 reject" with comments)
		out.replies, out.ok = first, true
		return out
	}
	confirm := base
	confirm.EventID = "view:" + id + ":confirm"
	confirm.Action = &bot.Action{ID: "answer", Value: "confirm"}
	second, err := a.handle(ctx, confirm)
	if err == nil && refused(second) {
		a.dropForm(ctx, base, id, t, second)
		out.errors, out.replies = fieldErrors(t, second, keys, lang), second
		if len(out.errors) == 0 {
			out.errors = errorsOn(keys, "", warnings(second))
		}
		return out
	}
	out.replies = append(slices.DeleteFunc(first, isSummary), second...)
	out.ok = err == nil && second != nil
	return out
}

// pasted is the message a submission becomes: the command line, then the
// answers as "key: value" lines. The review command is the exception: it
// takes its decision as a word and its comments as the text after it,
// and commits at once without reading a pasted form.
func pasted(t *forms.Template, meta modalMeta, lines []string) string {
	if meta.Form != "review" {
		return "/collab " + meta.Command + "\n" + strings.Join(lines, "\n")
	}
	cmd, comments := meta.Command, ""
	for _, l := range lines {
		k, v, _ := strings.Cut(l, ": ")
		switch {
		case k == "decision" && meta.Values["decision"] == "":
			cmd += " " + v
		case k == "comments":
			comments = v
		}
	}
	return strings.TrimSpace("/collab " + cmd + "\n" + comments)
}

// dropForm cancels the chat form a refused submission left open, if it
// opened one.
func (a *Adapter) dropForm(ctx context.Context, base bot.Message, id string, t *forms.Template, replies []bot.Reply) {
	if !slices.ContainsFunc(replies, func(r bot.Reply) bool {
		return strings.Contains(r.Title, t.Title.ZH) || strings.Contains(r.Title, t.Title.EN)
	}) {
		return // refused before a form was opened
	}
	cancel := base
	cancel.EventID = "view:" + id + ":cancel"
	cancel.Action = &bot.Action{ID: "answer", Value: "cancel"}
	if _, err := a.handle(ctx, cancel); err != nil {
		a.log.Warn("dropping a refused form", "err", err)
	}
}

// answers reads the modal's state as pasted-form lines, in template order:
// what the command answered, then what was filled in, leaving out fields
// the answers make inapplicable. People picked in user selects are also
// the message's mentions, which is how the forms resolve them.
func answers(t *forms.Template, meta modalMeta, state *slack.ViewState) ([]string, []bot.Identity) {
	values := map[string]string{}
	var ms []bot.Identity
	for k, v := range meta.Values {
		values[k] = v
	}
	for _, f := range t.Fields {
		if _, given := meta.Values[f.Key]; given || state == nil {
			continue
		}
		act, ok := state.Values[f.Key][inputAction]
		if !ok {
			continue
		}
		v, people := value(act)
		for _, u := range people {
			ms = append(ms, bot.Identity{Platform: bot.Slack, ID: u})
		}
		if !multiline(f.Type) {
			v = strings.Join(strings.Fields(v), " ")
		}
		if v = strings.TrimSpace(v); v != "" {
			values[f.Key] = v
		}
	}
	var lines []string
	for _, f := range t.Fields {
		v, ok := values[f.Key]
		if !ok || !t.Active(f, values) {
			continue
		}
		lines = append(lines, f.Key+": "+v)
	}
	return lines, ms
}

// value is what one input holds, as a person would type it.
func value(act slack.BlockAction) (string, []string) {
	switch act.Type {
	case "static_select":
		return act.SelectedOption.Value, nil
	case "multi_static_select":
		var vs []string
		for _, o := range act.SelectedOptions {
			vs = append(vs, o.Value)
		}
		return strings.Join(vs, ","), nil
	case "users_select":
		if act.SelectedUser == "" {
			return "", nil
		}
		return "<@" + act.SelectedUser + ">", []string{act.SelectedUser}
	case "multi_users_select":
		var vs []string
		for _, u := range act.SelectedUsers {
			vs = append(vs, "<@"+u+">")
		}
		return strings.Join(vs, ", "), act.SelectedUsers
	case "datepicker":
		return act.SelectedDate, nil
	}
	return act.Value, nil
}

// inputKeys are the modal's input blocks, the only places Slack can show
// an error.
func inputKeys(v slack.View) []string {
	var keys []string
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			keys = append(keys, in.BlockID)
		}
	}
	return keys
}

// fieldErrors reads what the engine refused in its replies: the lines of
// "some of it needs fixing" name fields by label, a question asked next
// names the field still missing, and a refusal may quote a label.
func fieldErrors(t *forms.Template, replies []bot.Reply, keys []string, lang bot.Lang) map[string]string {
	errs := map[string]string{}
	put := func(f *forms.Field, msg string) {
		if f != nil && slices.Contains(keys, f.Key) && errs[f.Key] == "" && msg != "" {
			errs[f.Key] = clip(msg, maxModalError)
		}
	}
	var asked *forms.Field
	for _, r := range replies {
		for _, line := range strings.Split(r.Body, "\n") {
			item, ok := strings.CutPrefix(strings.TrimSpace(line), "• ")
			if !ok {
				continue
			}
			if label, msg, ok := strings.Cut(item, ": "); ok {
				f, _ := t.Field(label)
				put(f, msg)
			}
		}
		if _, label, ok := strings.Cut(r.Title, " · "); ok && !atSummary([]bot.Reply{r}) {
			asked, _ = t.Field(label)
		}
	}
	w := warnings(replies)
	if w != "" {
		for _, f := range t.Fields {
			if strings.Contains(w, "“"+f.Label.ZH+"”") || strings.Contains(w, f.Label.EN+":") {
				put(f, w)
			}
		}
	}
	if asked != nil {
		put(asked, firstNonEmpty(w, words.Get(lang, "adapter.modal.required", nil)))
	}
	if len(errs) == 0 && w != "" {
		return errorsOn(keys, "", w)
	}
	return errs
}

// warnings are the engine's refusals ("⚠️ …") without the chat hints
// that follow them.
func warnings(replies []bot.Reply) string {
	var ws []string
	for _, r := range replies {
		if w, ok := strings.CutPrefix(r.Body, "⚠️ "); ok {
			first, _, _ := strings.Cut(w, "\n")
			ws = append(ws, first)
		}
	}
	return strings.Join(ws, " ")
}

// firstLine is the first line the engine answered, for a refusal it gave
// in words this adapter does not recognise.
func firstLine(replies []bot.Reply) string {
	for _, r := range replies {
		if l, _, _ := strings.Cut(strings.TrimSpace(r.Body), "\n"); l != "" {
			return l
		}
	}
	return ""
}

// errorsOn puts msg under the field key, or the first input when the
// engine named none.
func errorsOn(keys []string, key, msg string) map[string]string {
	if len(keys) == 0 || msg == "" {
		return nil
	}
	if !slices.Contains(keys, key) {
		key = keys[0]
	}
	return map[string]string{key: clip(msg, maxModalError)}
}

func isSummary(r bot.Reply) bool {
	return slices.ContainsFunc(r.Buttons, func(b bot.Button) bool { return b.Action == "answer" && b.Value == "confirm" })
}

// atSummary: the form is complete and waits for "confirm".
func atSummary(replies []bot.Reply) bool { return slices.ContainsFunc(replies, isSummary) }

// refused: the engine said no ("⚠️ …"), and nothing changed.
func refused(replies []bot.Reply) bool { return warnings(replies) != "" }

package slack

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
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
	failed  bool // not recorded (a one-tap click): Slack should deliver it again
}

// response is what the submission's ack carries: the errors, or nothing,
// which closes the modal.
func (s submission) response() any {
	if len(s.errors) == 0 {
		return nil
	}
	return slack.NewErrorsViewSubmissionResponse(s.errors)
}

// submit hands a modal's answers to the engine as a structured
// submission: the values picked and typed by field, people as Slack
// accounts. What the engine refuses comes back under the fields it names.
func (a *Adapter) submit(ctx context.Context, ic *slack.InteractionCallback) submission {
	meta, err := decodeMeta(ic.View.PrivateMetadata)
	if err != nil || meta.Form == "" {
		a.log.Warn("modal submission without metadata", "err", err)
		return submission{}
	}
	if a.opts.FormService == nil {
		a.log.Warn("modal submission without a form service", "form", meta.Form)
		return submission{}
	}
	user := ic.User.ID
	keys := inputKeys(ic.View)
	sub := answers(meta, ic.View.State)
	if len(sub.Values)+len(sub.People) == 0 {
		return submission{errors: errorsOn(keys, "", words.Get(a.langOf(user), "adapter.modal.fill_one", nil))}
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
	m := bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack, Channel: meta.Channel, Direct: meta.Direct,
		From: bot.Identity{Platform: bot.Slack, ID: user}, Name: a.nameOf(ctx, user), EventID: "view:" + id}
	if !a.recent.Add(m.EventID) {
		return out // a redelivery of a submission handled here
	}
	res, err := a.opts.FormService.Submit(ctx, m, sub)
	if err != nil {
		a.recent.Forget(m.EventID)
		a.log.Error("modal submission failed", "form", meta.Form, "err", err)
		out.errors = errorsOn(keys, "", words.Get(a.langOf(user), "adapter.modal.failed", nil))
		return out
	}
	out.replies = res.Replies
	if !res.OK() {
		a.recent.Forget(m.EventID) // nothing changed: the corrected form is submitted again
		out.errors = problemsOn(keys, res.Problems)
		return out
	}
	out.ok = res.Replies != nil
	return out
}

// answers reads the modal's state as a submission: each input's values by
// its field's key, people picked as Slack accounts, and the answers the
// command itself gave.
func answers(meta modalMeta, state *slack.ViewState) bot.Submission {
	sub := bot.Submission{Form: meta.Form, Target: meta.Target, Values: map[string][]string{}, People: map[string][]bot.Identity{}}
	for k, v := range meta.Given {
		sub.Values[k] = []string{v}
	}
	if state == nil {
		return sub
	}
	for key, acts := range state.Values {
		if _, given := meta.Given[key]; given {
			continue
		}
		act, ok := acts[inputAction]
		if !ok {
			continue
		}
		values, people := value(act)
		if len(people) > 0 {
			for _, u := range people {
				sub.People[key] = append(sub.People[key], bot.Identity{Platform: bot.Slack, ID: u})
			}
			continue
		}
		values = slices.DeleteFunc(values, func(v string) bool { return strings.TrimSpace(v) == "" })
		if len(values) > 0 {
			sub.Values[key] = values
		}
	}
	return sub
}

// value is what one input holds: its values, or the users picked.
func value(act slack.BlockAction) ([]string, []string) {
	switch act.Type {
	case "static_select":
		return []string{act.SelectedOption.Value}, nil
	case "multi_static_select":
		var vs []string
		for _, o := range act.SelectedOptions {
			vs = append(vs, o.Value)
		}
		return vs, nil
	case "users_select":
		if act.SelectedUser == "" {
			return nil, nil
		}
		return nil, []string{act.SelectedUser}
	case "multi_users_select":
		return nil, act.SelectedUsers
	case "datepicker":
		return []string{act.SelectedDate}, nil
	}
	return []string{act.Value}, nil
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

// problemsOn puts each problem under its field; one the modal has no
// input for (or that names none) goes under the first input.
func problemsOn(keys []string, problems []bot.FormProblem) map[string]string {
	errs := map[string]string{}
	for _, p := range problems {
		key := p.Field
		if !slices.Contains(keys, key) {
			if len(keys) == 0 {
				continue
			}
			key = keys[0]
		}
		if errs[key] == "" {
			errs[key] = clip(p.Message, maxModalError)
		} else {
			errs[key] = clip(errs[key]+" "+p.Message, maxModalError)
		}
	}
	return errs
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

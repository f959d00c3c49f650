package dingtalk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// groupPrefix marks a collaboration's group as a DingTalk conversation:
// the engine stores "dingtalk:<openConversationId>".
const groupPrefix = string(bot.DingTalk) + ":"

// Send implements bot.Sender: a person's notification goes 1:1 by
// oToMessages/batchSend to their staff id, a group's by
// groupMessages/send. A flow-control answer is a *bot.Throttled at once;
// the dispatcher owns waiting and retrying.
func (a *Adapter) Send(ctx context.Context, n bot.Notification) error {
	if card, err := a.sendCard(ctx, n); card { // cards.go
		return err
	}
	msgs := render(n.Reply, n.To != "", langOf(n, a.opt.Lang))
	if n.To != "" {
		staff, err := staffID(n)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			invalid, limited, err := a.api.sendToUsers(ctx, []string{staff}, m)
			if err = a.outcome(n, err, invalid, limited); err != nil {
				return err
			}
		}
		return nil
	}
	conv, err := conversation(n)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := a.api.sendToGroup(ctx, conv, m); err != nil {
			return a.outcome(n, err, nil, nil)
		}
	}
	return nil
}

// outcome turns DingTalk's answer for one recipient into Send's error,
// logging a refusal with the meaning of its code.
func (a *Adapter) outcome(n bot.Notification, err error, invalid, limited []string) error {
	switch {
	case err != nil:
	case len(invalid) > 0:
		err = fmt.Errorf("dingtalk: DingTalk does not know staff id %q: %w", invalid[0], bot.ErrUndeliverable)
	case len(limited) > 0:
		err = &bot.Throttled{After: time.Minute, Err: errLimited}
	default:
		return nil
	}
	log := a.log.With("notification", n.ID, "kind", n.Kind)
	if e := asAPIError(err); e != nil {
		log = log.With("status", e.Status, "code", e.Code, "meaning", e.Meaning())
	}
	if _, ok := bot.RetryAfter(err); ok {
		log.Info("notification throttled by DingTalk", "err", err)
	} else {
		log.Warn("notification not sent", "err", err)
	}
	return err
}

func staffID(n bot.Notification) (string, error) {
	for _, id := range n.Accounts {
		if id.Platform == bot.DingTalk && id.ID != "" {
			return id.ID, nil
		}
	}
	return "", fmt.Errorf("dingtalk: %s has no DingTalk account: %w", n.To, bot.ErrUndeliverable)
}

func conversation(n bot.Notification) (string, error) {
	conv, ok := strings.CutPrefix(n.Group, groupPrefix)
	if !ok || conv == "" {
		return "", fmt.Errorf("dingtalk: group %q is not a DingTalk conversation: %w", n.Group, bot.ErrUndeliverable)
	}
	return conv, nil
}

func langOf(n bot.Notification, fallback bot.Lang) bot.Lang {
	if n.Lang != "" {
		return n.Lang
	}
	return fallback
}

// BatchError is SendBatch's error when some notifications were not sent:
// Delivered lists those that were (mark them sent), Failed the cause for
// each of the others. errors.As finds a *bot.Throttled among the causes,
// so bot.RetryAfter works on it.
type BatchError struct {
	Delivered []int64
	Failed    map[int64]error
}

func (e *BatchError) Error() string {
	ids := make([]int64, 0, len(e.Failed))
	for id := range e.Failed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	first := e.Failed[ids[0]]
	return fmt.Sprintf("dingtalk: %d of %d notifications not sent: %v", len(e.Failed), len(e.Failed)+len(e.Delivered), first)
}

func (e *BatchError) Unwrap() []error {
	out := make([]error, 0, len(e.Failed))
	for _, err := range e.Failed {
		out = append(out, err)
	}
	return out
}

// DeliveredIDs lets a dispatcher learn what was sent through a small
// interface of its own, without importing this package.
func (e *BatchError) DeliveredIDs() []int64 { return e.Delivered }

// DirectBatch is how many people one call takes the very same 1:1
// message to (oToMessages/batchSend: 20), so that a dispatcher hands
// SendBatch identical notices together and counts them as one call
// against the app's rate.
func (a *Adapter) DirectBatch() int { return maxUsers }

// SendBatch delivers several notifications with as few messages as it
// can: everything for one group is merged into one markdown message (a
// few if it is long), which keeps a burst of reminders within DingTalk's
// limit of about 20 messages a minute per group; identical 1:1 messages
// go to up to 20 people per batchSend. It returns nil when everything was
// sent, else a *BatchError saying what was.
func (a *Adapter) SendBatch(ctx context.Context, ns []bot.Notification) error {
	out := outcomes{}
	groups := map[string][]bot.Notification{}
	var groupOrder []string
	people := map[string][]personNote{}
	var peopleOrder []string
	for _, n := range ns {
		if card, err := a.sendCard(ctx, n); card { // cards.go: one call per card
			out.note(err, n.ID)
			continue
		}
		if n.To == "" {
			conv, err := conversation(n)
			if err != nil {
				out.note(err, n.ID)
				continue
			}
			if _, ok := groups[conv]; !ok {
				groupOrder = append(groupOrder, conv)
			}
			groups[conv] = append(groups[conv], n)
			continue
		}
		staff, err := staffID(n)
		if err != nil {
			out.note(err, n.ID)
			continue
		}
		msgs := render(n.Reply, true, langOf(n, a.opt.Lang))
		if len(msgs) == 0 {
			out.note(nil, n.ID) // nothing to say
			continue
		}
		key := fingerprint(msgs)
		if _, ok := people[key]; !ok {
			peopleOrder = append(peopleOrder, key)
		}
		people[key] = append(people[key], personNote{n: n, staff: staff, msgs: msgs})
	}
	for _, conv := range groupOrder {
		a.sendMerged(ctx, conv, groups[conv], out)
	}
	for _, key := range peopleOrder {
		a.sendSame(ctx, people[key], out)
	}
	res := &BatchError{Failed: map[int64]error{}}
	for _, n := range ns {
		if err, ok := out[n.ID]; ok && err != nil {
			res.Failed[n.ID] = err
		} else if ok {
			res.Delivered = append(res.Delivered, n.ID)
		}
	}
	if len(res.Failed) == 0 {
		return nil
	}
	return res
}

// outcomes collects what happened to each notification of a batch: nil
// once sent, the first error if any part of it was not.
type outcomes map[int64]error

func (o outcomes) note(err error, ids ...int64) {
	for _, id := range ids {
		if prev, seen := o[id]; !seen || prev == nil {
			o[id] = err
		}
	}
}

type personNote struct {
	n     bot.Notification
	staff string
	msgs  []outMessage
}

// fingerprint identifies a rendering, so that people who get the very
// same message share a batchSend.
func fingerprint(msgs []outMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Title + "\x00" + m.Text + "\x00")
		for _, l := range m.Buttons {
			b.WriteString(l.Title + "\x00" + l.URL + "\x00")
		}
	}
	return b.String()
}

// sendSame sends one rendering to everyone in notes, 20 staff ids at a
// time; a message of several parts is sent part by part to the batch.
func (a *Adapter) sendSame(ctx context.Context, notes []personNote, out outcomes) {
	for start := 0; start < len(notes); start += maxUsers {
		batch := notes[start:min(start+maxUsers, len(notes))]
		staff := make([]string, 0, len(batch))
		ids := map[string][]int64{}
		for _, p := range batch {
			if _, ok := ids[p.staff]; !ok {
				staff = append(staff, p.staff)
			}
			ids[p.staff] = append(ids[p.staff], p.n.ID)
		}
		for _, m := range batch[0].msgs {
			invalid, limited, err := a.api.sendToUsers(ctx, staff, m)
			if err != nil {
				err = a.outcome(batch[0].n, err, nil, nil)
				for _, s := range staff {
					out.note(err, ids[s]...)
				}
				break
			}
			for _, s := range invalid {
				out.note(fmt.Errorf("dingtalk: DingTalk does not know staff id %q: %w", s, bot.ErrUndeliverable), ids[s]...)
			}
			for _, s := range limited {
				out.note(&bot.Throttled{After: time.Minute, Err: errLimited}, ids[s]...)
			}
			for _, s := range staff {
				out.note(nil, ids[s]...)
			}
		}
	}
}

// sendMerged sends a group's notifications as few messages: each notice a
// section of its own, as many sections per message as fit. After a
// refusal the rest are left for the next batch with the same error.
func (a *Adapter) sendMerged(ctx context.Context, conv string, notes []bot.Notification, out outcomes) {
	type section struct {
		id   int64
		text string
	}
	var sections []section
	for _, n := range notes {
		msgs := render(n.Reply, false, langOf(n, a.opt.Lang))
		if len(msgs) == 0 {
			out.note(nil, n.ID) // nothing to say
		}
		for _, m := range msgs {
			sections = append(sections, section{n.ID, m.Text})
		}
	}
	if len(sections) == 0 {
		return
	}
	lang := langOf(notes[0], a.opt.Lang)
	var failure error
	for i := 0; i < len(sections); {
		first := i
		var ids []int64
		var texts []string
		size := 0
		for ; i < len(sections) && (len(texts) == 0 || size+len(sectionBreak)+len(sections[i].text) <= maxText); i++ {
			texts = append(texts, sections[i].text)
			size += len(sectionBreak) + len(sections[i].text)
			ids = append(ids, sections[i].id)
		}
		if failure == nil {
			m := outMessage{Title: words.Get(lang, "adapter.dingtalk.merged_title", words.Args{"n": len(texts)}),
				Text: strings.Join(texts, sectionBreak)}
			if len(texts) == 1 {
				n := notes[0]
				for _, x := range notes {
					if x.ID == sections[first].id {
						n = x
					}
				}
				m.Title = plainTitle(n.Reply.Title, n.Reply.Body)
			}
			if err := a.api.sendToGroup(ctx, conv, m); err != nil {
				failure = a.outcome(notes[0], err, nil, nil)
			}
		}
		out.note(failure, ids...)
	}
}

// sectionBreak separates merged notices: a horizontal rule.
const sectionBreak = "\n\n---\n\n"

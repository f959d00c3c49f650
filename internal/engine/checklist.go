package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// The delivery checklist as notices and replies show it: items numbered
// (an acceptance names them by number), what a re-delivery changed, and
// the files shared with it.

// deliverableLine is one item: "2. 接口文档 v1.2 ×1 https://… — note (T-1)".
func deliverableLine(d bot.Deliverable) string {
	s := d.Name
	if d.Version != "" {
		s += " " + d.Version
	}
	s += " ×" + strconv.Itoa(d.Quantity)
	if d.Link != "" {
		s += " " + d.Link
	}
	if d.Note != "" {
		s += " — " + d.Note
	}
	if len(d.Tasks) > 0 {
		ids := make([]string, len(d.Tasks))
		for i, t := range d.Tasks {
			ids[i] = t.String()
		}
		s += " (" + strings.Join(ids, " ") + ")"
	}
	return s
}

// checklist lists a delivery's items, numbered, the kept ones marked.
func (b *body) checklist(d *bot.Delivery) {
	if len(d.Items) == 0 {
		return
	}
	b.say("format.list_head", words.Args{"label": words.Text("field.delivery_list", nil)})
	for i, it := range d.Items {
		line := strconv.Itoa(i+1) + ". " + bot.Truncate(deliverableLine(it), maxQuote)
		if it.Kept {
			b.say("checklist.item_kept", words.Args{"item": line})
			continue
		}
		b.bullet(line)
	}
}

// changed lists what a delivery changed from the one before it.
func (b *body) changed(ch bot.Changes) {
	lines := ch.ChangeLines()
	if len(lines) == 0 {
		return
	}
	b.say("format.list_head", words.Args{"label": words.Text("field.delivery_changes", nil)})
	for _, m := range lines {
		b.bullet(words.Text(m.Key, words.Args(m.Args)))
	}
}

// attached lists attachments: name, size, link.
func (b *body) attached(atts []bot.Attachment) {
	if len(atts) == 0 {
		return
	}
	b.say("format.list_head", words.Args{"label": words.Text("field.attachments", nil)})
	for _, a := range atts {
		b.bullet(a.Line())
	}
}

// results lists an acceptance's per-item verdicts.
func (b *body) results(a *bot.Acceptance) {
	if len(a.Results) == 0 {
		return
	}
	b.say("format.list_head", words.Args{"label": words.Text("field.acceptance_results", nil)})
	for _, r := range a.Results {
		key := "checklist.result_pass"
		if !r.Pass {
			key = "checklist.result_fail"
		}
		b.say(key, words.Args{"n": r.Item, "name": r.Name, "comment": r.Comment})
	}
}

// deliveryChanges tells the deliverer what the delivery changed from the
// one before (nothing for a first delivery).
func (s *session) deliveryChanges(c *bot.Collaboration) {
	ch, ok := c.DeliveryChanges(len(c.Deliveries))
	if !ok {
		return
	}
	if ch.Empty() {
		s.sayKey("reply.delivery.unchanged", nil)
		return
	}
	var b strings.Builder
	b.WriteString(s.w("reply.delivery.changes", nil))
	for _, m := range ch.ChangeLines() {
		b.WriteString("\n• " + s.w(m.Key, words.Args(m.Args)))
	}
	s.reply(bot.Reply{Body: b.String()})
}

// reworkItems tells the accepter which items went back, when only some
// did.
func (s *session) reworkItems(c *bot.Collaboration) {
	a := c.Acceptances[len(c.Acceptances)-1]
	failed := a.Failed()
	if len(failed) == 0 || len(failed) == len(a.Results) {
		return
	}
	names := make([]string, len(failed))
	for i, r := range failed {
		names[i] = strconv.Itoa(r.Item) + ". " + r.Name
	}
	s.sayKey("reply.acceptance.only_failed", words.Args{"items": joinList(s.lang, names), "passed": len(a.Results) - len(failed)})
}

// Words that add one item to a delivery list being filled in, so a list
// can be built item by item: "加一项 接口文档, v1, 1, https://…".
var wordsAddItem = []string{"加一项", "再加一项", "添加一项", "增加一项", "add item", "another item", "+"}

// addItem appends one item to the form's delivery list when text asks
// for it; a refused item is answered and the list stays as it was.
func (s *session) addItem(ctx context.Context, d *dialog, t *forms.Template, text string) bool {
	var rest string
	found := false
	for _, w := range wordsAddItem {
		if r, ok := cutWord(text, w); ok {
			rest, found = r, true
			break
		}
	}
	if !found {
		return false
	}
	var f *forms.Field
	for _, x := range t.Fields {
		if x.Type == forms.TypeDeliverables {
			f = x
		}
	}
	if f == nil || strings.TrimSpace(rest) == "" {
		return false // an answer that happens to start so
	}
	canonical, err := s.parse(ctx, d, f, rest)
	var refusal *bot.Error
	if errors.As(err, &refusal) {
		s.reply(bot.Reply{Body: "⚠️ " + s.refusal(refusal), Refusal: refusal})
		return true
	}
	if err != nil || canonical == "" {
		return false
	}
	for _, it := range (forms.Values{"x": canonical}).Deliverables("x") {
		for _, had := range d.Values.Deliverables(f.Key) {
			if strings.EqualFold(had.Name, it.Name) {
				s.reply(bot.Reply{Body: "⚠️ " + s.refusal(bot.Refuse(bot.CodeInvalid, "refuse.delivery.duplicate_item", bot.Args{"name": it.Name}))})
				return true
			}
		}
	}
	if have := d.Values[f.Key]; have != "" {
		canonical = have + "\n" + canonical
	}
	d.Values[f.Key] = canonical
	s.sayKey("reply.delivery.item_added", words.Args{"n": len(d.Values.Deliverables(f.Key))})
	return true
}

// cutWord cuts a leading word (case aside) followed by a space or colon.
func cutWord(text, w string) (string, bool) {
	text = strings.TrimSpace(text)
	if len(text) <= len(w) || !strings.EqualFold(text[:len(w)], w) {
		return "", false
	}
	rest := text[len(w):]
	if !strings.ContainsAny(rest[:1], " :：\t") && w != "+" {
		return "", false
	}
	return strings.TrimLeft(rest, " :：\t"), true
}

// checkItemLines refuses an acceptance's item lines — a fail's rework
// items, a pass's item notes — that the delivery waiting for acceptance
// cannot take, and a delivery's items naming tasks it does not have,
// while the line is being typed: the person fixes it on the spot instead
// of at the confirmation (bot.CheckVerdictLines, CheckDeliveryItems).
func (s *session) checkItemLines(ctx context.Context, d *dialog, key, canonical string) error {
	if d.Form == "minutes" && key == "actions" && canonical != "" {
		return s.checkActionItems(ctx, d, key, canonical)
	}
	delivery := d.Form == "delivery" && key == "items"
	if !delivery && (d.Form != "acceptance" || (key != "items" && key != "notes")) || canonical == "" {
		return nil
	}
	// A field the verdict rules out (a pass's rework items, a fail's
	// notes, left filled in a modal that showed both) is dropped, not
	// checked: refusing the whole submission over it would trap the form.
	if t, ok := s.e.Forms.Get(d.Form); ok {
		if f, ok := t.Field(key); ok && !t.Active(f, d.Values) {
			return nil
		}
	}
	id, err := bot.ParseCollabID(d.Target)
	if err != nil {
		return nil
	}
	c, err := s.tx.Collaboration(ctx, id)
	if bot.ErrorCode(err) != "" {
		return nil // gone or hidden: the commit says so
	}
	if err != nil {
		return fmt.Errorf("engine: checking acceptance lines of %s: %w", d.Target, err)
	}
	if delivery {
		// The tasks an item answers for ("T-9"), checked on the line too.
		return c.CheckDeliveryItems((forms.Values{key: canonical}).Deliverables(key))
	}
	verdict := bot.VerdictFail
	if key == "notes" {
		verdict = bot.VerdictPass
	}
	return c.CheckVerdictLines(verdict, (forms.Values{key: canonical}).List(key))
}

// checkActionItems refuses, as the answer is typed, an action item of
// minutes that cannot become a task (its owner outside the
// collaboration's departments, its date past), naming the item; at the
// confirmation the whole form would be refused over it.
func (s *session) checkActionItems(ctx context.Context, d *dialog, key, canonical string) error {
	c, _, err := meetingTarget(ctx, s, d.Target)
	if bot.ErrorCode(err) != "" {
		return nil // gone or hidden: the commit says so
	}
	if err != nil {
		return fmt.Errorf("engine: checking action items of %s: %w", d.Target, err)
	}
	var items []bot.ActionItem
	for _, a := range (forms.Values{key: canonical}).Actions(key, s.loc()) {
		items = append(items, bot.ActionItem{Task: bot.Task{Title: a.What, Owner: a.Owner, Due: a.Due}})
	}
	return c.CheckActionItems(s.dir, items, s.now)
}

// verdictLines are the item lines of an acceptance: a fail's rework
// items, a pass's notes on single items.
func verdictLines(v forms.Values, verdict bot.Verdict) []string {
	if verdict == bot.VerdictPass {
		return v.List("notes")
	}
	return v.List("items")
}

package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/words"
)

// A form never traps anyone: opening another form puts the open one aside
// as a draft, and a form left alone is put aside too. `继续`/`resume`
// brings a draft back exactly where it stopped.

// conversation is what the bot keeps of one person in one chat: the form
// open now (Form is "" when none is) and the drafts put aside, the most
// recent first. The open form's fields sit at the top level of the JSON,
// as a dialog alone was stored before drafts existed.
type conversation struct {
	dialog
	Drafts []dialog `json:"drafts,omitempty"`
	// Offer is the yes-or-no question the bot's last answer asked, if
	// any (offers.go).
	Offer *offer `json:"offer,omitempty"`
}

const (
	// maxDrafts is how many forms one person keeps aside in one chat; a
	// fourth pushes the oldest out, with a notice.
	maxDrafts = 3
	// draftLife is how long a draft is kept untouched.
	draftLife = 7 * 24 * time.Hour
)

// loadConversation reads the person's state in this chat and returns the
// open form, if any. A form idle for longer than the engine's Idle is put
// aside; drafts older than draftLife are forgotten.
func (s *session) loadConversation(ctx context.Context) (*dialog, error) {
	s.conv = &conversation{}
	raw, ok, err := s.tx.Dialog(ctx, s.key)
	if err != nil || !ok {
		return nil, err
	}
	if err := json.Unmarshal(raw, s.conv); err != nil {
		// A state written by an older version: drop it rather than trap
		// the person in it.
		s.e.Log.Warn("dropping unreadable dialog", "person", s.key.Person, "err", err)
		s.conv = &conversation{}
		return nil, s.tx.EndDialog(ctx, s.key)
	}
	kept := s.conv.Drafts[:0]
	for _, d := range s.conv.Drafts {
		if d.template(s) != nil && s.now.Sub(d.Touched) <= draftLife {
			kept = append(kept, d)
		}
	}
	dirty := len(kept) != len(s.conv.Drafts)
	s.conv.Drafts = kept
	open := s.conv.dialog // a copy: the open form changes apart from what is kept
	d := &open
	switch {
	case d.Form == "":
		d = nil
	case d.template(s) == nil:
		// A template an operator removed.
		s.e.Log.Warn("dropping a dialog whose template is gone", "person", s.key.Person, "form", d.Form)
		s.conv.dialog, d, dirty = dialog{}, nil, true
	case s.now.Sub(d.Touched) > s.e.Idle:
		// A message this long after is not taken for an answer: it may be
		// about something else entirely. Nothing is lost either.
		s.sayKey("reply.draft.idle", words.Args{"form": d.title(s), "span": s.spanText(calendar.Span{D: s.e.Idle})})
		s.park(*d)
		s.conv.dialog, d, dirty = dialog{}, nil, true
		s.parked = true
	}
	if dirty {
		return d, s.persist(ctx)
	}
	return d, nil
}

// saveDialog keeps d as the open form.
func (s *session) saveDialog(ctx context.Context, d *dialog) error {
	d.Touched = s.now
	s.conv.dialog = *d
	return s.persist(ctx)
}

// endDialog closes the open form (submitted or cancelled) and mentions a
// draft waiting, if there is one.
func (s *session) endDialog(ctx context.Context) error {
	s.conv.dialog = dialog{}
	s.open = nil
	if len(s.conv.Drafts) > 0 {
		s.sayKey("reply.draft.unfinished", words.Args{"form": s.conv.Drafts[0].label(s)})
	}
	return s.persist(ctx)
}

func (s *session) persist(ctx context.Context) error {
	if s.conv.Form == "" && len(s.conv.Drafts) == 0 && s.conv.Offer == nil {
		return s.tx.EndDialog(ctx, s.key)
	}
	raw, err := json.Marshal(s.conv)
	if err != nil {
		return fmt.Errorf("engine: encode dialog: %w", err)
	}
	return s.tx.SaveDialog(ctx, s.key, raw)
}

// park puts a form aside as the most recent draft.
func (s *session) park(d dialog) {
	d.Touched = s.now
	s.conv.Drafts = append([]dialog{d}, s.conv.Drafts...)
	if len(s.conv.Drafts) > maxDrafts {
		old := s.conv.Drafts[maxDrafts]
		s.conv.Drafts = s.conv.Drafts[:maxDrafts]
		s.sayKey("reply.draft.oldest_dropped", words.Args{"form": old.label(s), "max": maxDrafts})
	}
}

// putAside handles the open form when another one opens: the same form
// about the same thing is replaced when the new one comes with answers of
// its own (a paste: the correction; "确认 COL-1 承接" after "确认 COL-1
// 无法承接": the newer decision); otherwise a form with answers becomes a
// draft (a second request while the first is half-filled is another
// request) and an empty one just goes. Values never carry over.
func (s *session) putAside(form, target string, given bool) {
	open := s.open
	if open == nil {
		return
	}
	s.open = nil
	s.conv.dialog = dialog{}
	switch {
	case open.Form == form && open.Target == target && given:
		s.sayKey("reply.draft.replaced", words.Args{"form": open.label(s)})
	case open.Form == form && open.Target == target:
		if open.answered() {
			s.park(*open)
			s.sayKey("reply.draft.kept", words.Args{"form": open.label(s)})
		}
	case len(open.Values) > 0:
		s.park(*open)
		s.sayKey("reply.draft.kept", words.Args{"form": open.label(s)})
	}
}

// answered reports whether the person gave the form an answer: pasted
// it, or answered one of its questions. Values the command filled in (a
// request's type) are not answers.
func (d *dialog) answered() bool {
	return d.Pasted || slices.ContainsFunc(d.Asked, func(k string) bool { return k != "" && d.Values[k] != "" })
}

// settled closes the forms that asked what a command just decided at
// once ("初审 COL-1 驳回 <意见>" while the review form asks for its
// comments): the open one and any draft of the same form about the same
// thing. Kept, a bare 确认 would later decide again with the old answers.
func (s *session) settled(ctx context.Context, form, target string) error {
	if s.conv == nil {
		return nil
	}
	same := func(d *dialog) bool { return d.Form == form && d.Target == target }
	n := len(s.conv.Drafts)
	s.conv.Drafts = slices.DeleteFunc(s.conv.Drafts, func(d dialog) bool { return same(&d) })
	if s.open == nil || !same(s.open) {
		if len(s.conv.Drafts) == n {
			return nil
		}
		return s.persist(ctx)
	}
	s.open = nil // nothing to go back to
	s.conv.dialog = dialog{}
	return s.persist(ctx)
}

// label names a form for people: its title and what it is about.
func (d *dialog) label(s *session) string {
	if d.Target == "" {
		return d.title(s)
	}
	return d.title(s) + " · " + strings.ReplaceAll(d.Target, "/", " ")
}

// cmdResume brings back the most recent draft (or the one named: a form
// title or what it is about). An open form changes places with it.
func cmdResume(ctx context.Context, s *session, in input) error {
	if len(s.conv.Drafts) == 0 {
		if open := s.open; open != nil {
			s.open = nil // shown again below, not repeated after
			return s.present(ctx, open, open.template(s))
		}
		s.sayKey("reply.draft.none", nil)
		return nil
	}
	i := 0
	if want := strings.TrimSpace(in.rest); want != "" {
		if i = s.draft(want); i < 0 {
			return bot.Refuse(bot.CodeNotFound, "refuse.draft.not_found", bot.Args{"draft": want, "drafts": s.draftList()})
		}
	}
	d := s.conv.Drafts[i]
	s.conv.Drafts = append(s.conv.Drafts[:i:i], s.conv.Drafts[i+1:]...)
	if s.open != nil {
		s.park(*s.open)
	}
	s.open = nil // the one resumed is open now, not waiting
	s.sayKey("reply.draft.resumed", words.Args{"form": d.label(s)})
	return s.present(ctx, &d, d.template(s))
}

// draft finds a draft by what it is about ("COL-3", "T-2") or its form
// ("任务", "task"); -1 when there is none.
func (s *session) draft(want string) int {
	for j := range s.conv.Drafts {
		d := &s.conv.Drafts[j]
		target, _ := splitTarget(d.Target)
		if strings.EqualFold(d.Target, want) || strings.EqualFold(target, want) || strings.EqualFold(d.title(s), want) || strings.EqualFold(d.Form, want) {
			return j
		}
	}
	return -1
}

func (s *session) draftList() string {
	var names []string
	for i := range s.conv.Drafts {
		names = append(names, s.conv.Drafts[i].label(s))
	}
	return joinList(s.lang, names)
}

// pending is the one line that ends the answer to a command typed while a
// form is open: the question still waiting.
func (s *session) pending(d *dialog) bot.Reply {
	f, ok := d.template(s).Field(d.Asking)
	if d.Asking == "" || !ok {
		return bot.Reply{Body: s.w("reply.draft.waiting_confirm", words.Args{"form": d.label(s)})}
	}
	prompt, _, _ := strings.Cut(f.Prompt.In(s.lang), "\n")
	return bot.Reply{Body: s.w("reply.draft.back_to", words.Args{"form": d.label(s), "prompt": prompt})}
}

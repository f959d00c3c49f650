package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// Texts a second post replaces: the day's progress update and the
// retrospective. Their forms open filled with what stands, so a person
// corrects it rather than types it again, and the rule records what the
// correction changed.

// todaysProgress is the speaker's progress update of today on c, or nil.
func (s *session) todaysProgress(ctx context.Context, c *bot.Collaboration) (*bot.ProgressUpdate, error) {
	day := s.now.In(s.loc()).Format(time.DateOnly)
	list, err := s.tx.Progress(ctx, c.ID, day)
	if err != nil {
		return nil, fmt.Errorf("engine: today's progress on %s: %w", c.ID, err)
	}
	i := slices.IndexFunc(list, func(u bot.ProgressUpdate) bool { return u.Person == s.person.ID })
	if i < 0 {
		return nil, nil
	}
	return &list[i], nil
}

// progressValues are an update as the progress form's answers.
func progressValues(u *bot.ProgressUpdate) forms.Values {
	v := forms.Values{}
	for k, x := range map[string]string{"done": u.Done, "pending": u.NotDone, "problems": u.Problems} {
		if x != "" {
			v[k] = x
		}
	}
	return v
}

// retroValues are the retrospective as its form's answers.
func retroValues(r *bot.Retrospective) forms.Values {
	v := forms.Values{}
	for k, x := range map[string][]string{"highlights": r.Highlights, "improvements": r.Improvements, "actions": r.Actions} {
		if len(x) > 0 {
			v[k] = strings.Join(x, "\n")
		}
	}
	return v
}

// startFilled opens a form filled with what stands, at its summary, as
// `edit COL-n` does: hint says why it is filled; lines pasted with the
// command change the answers they give. Text that is no form is the
// first answer of a form opened afresh, as before.
func (s *session) startFilled(ctx context.Context, form, target string, values forms.Values, text, hint string, args words.Args) error {
	t, ok := s.e.Forms.Get(form)
	if !ok {
		return fmt.Errorf("engine: no template %q", form)
	}
	pasted := false
	if strings.TrimSpace(text) != "" {
		if _, _, pasted = t.ParsePaste(text); !pasted {
			return s.startForm(ctx, form, target, nil, text)
		}
	}
	return s.openFilled(ctx, t, &dialog{Form: form, Target: target, Values: values, Started: s.now, Pasted: true}, text, hint, args)
}

// openFilled opens d, a form filled with what stands (a record to edit,
// minutes to amend, today's update to correct), at its summary: lines
// pasted with the command (body) change the answers they give, or hint
// says why the form is filled. Whatever form was open is put aside.
func (s *session) openFilled(ctx context.Context, t *forms.Template, d *dialog, body, hint string, args words.Args) error {
	if s.describing {
		return s.describe(d, true, body)
	}
	s.putAside(d.Form, d.Target, true) // what stands, filled in anew
	if strings.TrimSpace(body) != "" {
		s.paste(ctx, d, t, body)
	} else {
		s.sayKey(hint, args)
	}
	s.advance(d, t)
	return s.present(ctx, d, t)
}

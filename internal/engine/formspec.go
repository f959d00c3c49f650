package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// Forms as data (see bot/form.go): FormFor tells a renderer which form a
// command opens, described field by field; Submit takes the filled-in form
// back as values and commits it, or says what is wrong field by field.
// The command words, their aliases and the rules that refuse a form
// before anyone fills it in stay here, in the one router.

// described is the form a command would open, kept instead of started.
type described struct {
	d       *dialog
	current bool // its values are what exists now (an edit), not the command's answers
}

// errNoForm: the command, run to describe its form, opens none (it acts
// at once, or the text after it answers the first question).
var errNoForm = errors.New("engine: the command opens no form")

// errDescribed rolls back the transaction a description ran in.
var errDescribed = errors.New("engine: form described")

// describe keeps the form a command opens instead of opening it. Text
// after the command is an answer or a pasted form: that stays a chat
// dialog, since a form drawn empty would drop it.
func (s *session) describe(d *dialog, current bool, text string) error {
	if strings.TrimSpace(text) != "" {
		return errNoForm
	}
	s.described = &described{d: d, current: current}
	return nil
}

// FormFor reports the form a command opens, described for rendering, or
// nil when the message opens none: not a command, a command that acts at
// once or carries its answers, or one the rules refuse (its refusal is
// the engine's answer when the message is then handled). Nothing is
// recorded: the message is handled only when the form is submitted.
func (e *Engine) FormFor(ctx context.Context, m bot.Message) (*bot.Form, error) {
	text := m.Text
	if m.Action != nil {
		if m.Action.ID != "command" {
			return nil, nil
		}
		text = m.Action.Value
	}
	if strings.Contains(strings.TrimSpace(text), "\n") || len(text) > MaxMessageBytes {
		return nil, nil // a pasted form: the chat dialog reads it as it is
	}
	name, in, _ := e.parse(text)
	cmd, ok := e.lookup(name)
	if !ok {
		return nil, nil
	}
	now := e.Clock.Now()
	var form *bot.Form
	newcomer := false
	run := func(tx bot.Tx) error {
		form = nil
		s, err := e.session(ctx, tx, m, now)
		if err != nil {
			newcomer = errors.Is(err, bot.ErrReadOnly)
			return err
		}
		s.describing = true
		if err := cmd.run(ctx, s, in); err != nil {
			return err
		}
		if s.described == nil {
			return errNoForm
		}
		form = s.formOf(s.described)
		if err := s.progressTasks(ctx, form); err != nil {
			return err
		}
		form.OneTap = !s.details && !s.described.current && oneTap(form)
		return errDescribed
	}
	err := e.Store.View(ctx, m.Workspace, run)
	if newcomer {
		// Registering the newcomer writes: described in a transaction
		// that is rolled back, the registration happens on submission.
		err = e.Store.Apply(ctx, m.Workspace, "", run)
	}
	var refusal *bot.Error
	switch {
	case errors.Is(err, errDescribed):
		return form, nil
	case err == nil, errors.Is(err, errNoForm), errors.Is(err, bot.ErrReadOnly), errors.As(err, &refusal):
		return nil, nil
	}
	return nil, fmt.Errorf("engine: describe form: %w", err)
}

// oneTap: the command gave answers and nothing more is required.
func oneTap(f *bot.Form) bool {
	if len(f.Given) == 0 {
		return false
	}
	for _, fld := range f.Fields {
		if fld.Required || len(fld.Value) > 0 || len(fld.People) > 0 {
			return false
		}
	}
	return true
}

// formOf describes a dialog's form in the reader's language.
func (s *session) formOf(x *described) *bot.Form {
	d := x.d
	t := d.template(s)
	f := &bot.Form{Name: d.Form, Title: t.Title, Target: d.Target, Given: map[string]string{}, Lang: s.lang}
	if d.Target != "" {
		f.Subject = strings.Split(d.Target, "/")
	}
	given := forms.Values{}
	if !x.current {
		for k, v := range d.Values {
			if _, ok := t.Field(k); ok && v != "" {
				f.Given[k], given[k] = v, v
			}
		}
	}
	for _, fld := range t.Fields {
		if c, ok := fld.Choice(given[fld.Key]); ok {
			f.Subject = append(f.Subject, c.Label.In(s.lang))
		}
	}
	for _, fld := range t.Fields {
		if _, ok := given[fld.Key]; ok {
			continue
		}
		if fld.When != nil {
			if _, decided := given[fld.When.Field]; decided && !t.Active(fld, given) {
				continue
			}
		}
		out := s.fieldOf(t, fld, given)
		if fld.When != nil {
			if _, decided := given[fld.When.Field]; !decided {
				out.When = &bot.FormCondition{Field: fld.When.Field, In: slices.Clone(fld.When.In)}
			}
		}
		if x.current {
			var whole bool
			out.Value, out.People, whole = s.currentValue(fld, d.Values[fld.Key])
			if !whole {
				// Someone named has no account here to show: the field
				// is left out and keeps its answer (see submit).
				continue
			}
		}
		f.Fields = append(f.Fields, out)
	}
	return f
}

// fieldOf describes one field of a template given the answers so far: the
// chat dialog asks it from this description as a modal draws it.
func (s *session) fieldOf(t *forms.Template, fld *forms.Field, given forms.Values) bot.FormField {
	out := bot.FormField{Key: fld.Key, Kind: inputKind(fld.Type), Label: fld.Label, Prompt: fld.Prompt,
		Help: fld.Help, Example: fld.Example, Required: fld.Required || t.Requires(fld, given)}
	switch fld.Type {
	case forms.TypeText, forms.TypeLongText:
		out.Max = fld.Max
	case forms.TypeChoice:
		for _, c := range fld.Choices {
			out.Choices = append(out.Choices, bot.FormChoice{Value: c.Value, Label: c.Label})
		}
	case forms.TypeDepartment, forms.TypeDepartments:
		for _, dep := range s.dir.Departments {
			out.Choices = append(out.Choices, bot.FormChoice{Value: dep.Name, Label: bot.Text{ZH: dep.Name, EN: dep.Name}})
		}
	}
	return out
}

// currentValue is an existing answer as a Submission gives it back:
// values, or the accounts on the speaker's platform of the people named;
// whole is false when someone named has no account there.
func (s *session) currentValue(f *forms.Field, v string) (values []string, people []bot.Identity, whole bool) {
	if v == "" {
		return nil, nil, true
	}
	x := forms.Values{"x": v}
	switch f.Type {
	case forms.TypePerson, forms.TypePeople:
		for _, id := range x.People("x") {
			if s.msg.Platform == bot.Console {
				people = append(people, bot.Identity{Platform: bot.Console, ID: string(id)})
				continue
			}
			p, _ := s.dir.Person(id)
			i := slices.IndexFunc(p.Identities, func(a bot.Identity) bool { return a.Platform == s.msg.Platform })
			if i < 0 {
				return nil, nil, false
			}
			people = append(people, p.Identities[i])
		}
		return nil, people, true
	case forms.TypeDepartment, forms.TypeDepartments:
		return x.Departments("x"), nil, true
	case forms.TypeDate:
		if len(v) >= len("2006-01-02") {
			return []string{v[:len("2006-01-02")]}, nil, true
		}
	case forms.TypeActions, forms.TypeDeliverables, forms.TypeStatuses:
		return []string{s.display(f, v)}, nil, true
	}
	return []string{v}, nil, true
}

// currentOf reads what exists now for the forms that edit it: a
// submission changes only the answers it gives.
var currentOf = map[string]func(ctx context.Context, s *session, target string) (forms.Values, error){
	"request": func(ctx context.Context, s *session, target string) (forms.Values, error) {
		c, err := s.collab(ctx, target)
		if err != nil {
			return nil, err
		}
		return s.requestValues(c), nil
	},
}

// inputKind is how a field of a template is answered.
func inputKind(t forms.Type) bot.InputKind {
	switch t {
	case forms.TypeLongText, forms.TypeList, forms.TypeActions, forms.TypeDeliverables, forms.TypeStatuses:
		return bot.InputLongText
	case forms.TypeDate:
		return bot.InputDate
	case forms.TypeDateTime:
		return bot.InputDateTime
	case forms.TypeNumber:
		return bot.InputNumber
	case forms.TypeChoice:
		return bot.InputChoice
	case forms.TypePerson:
		return bot.InputPerson
	case forms.TypePeople:
		return bot.InputPeople
	case forms.TypeDepartment:
		return bot.InputDepartment
	case forms.TypeDepartments:
		return bot.InputDepartments
	}
	return bot.InputText
}

// errProblems rolls back a submission that was refused.
var errProblems = errors.New("engine: submission refused")

// Submit commits a filled-in form in one transaction, as confirming it in
// chat does: the answers are read as typed answers are, then the form's
// action applies the rules. Problems come back by field, in the
// speaker's language, and nothing changes; a redelivered submission (same
// EventID) changes nothing and gets no replies.
func (e *Engine) Submit(ctx context.Context, m bot.Message, sub bot.Submission) (bot.FormResult, error) {
	if _, ok := e.Forms.Get(sub.Form); !ok {
		return bot.FormResult{}, fmt.Errorf("engine: submit: no form %q", sub.Form)
	}
	now := e.Clock.Now()
	if m.At.IsZero() {
		m.At = now
	}
	event := ""
	if m.EventID != "" {
		event = string(m.Platform) + ":" + m.EventID
	}
	var res bot.FormResult
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = e.Store.Apply(ctx, m.Workspace, event, func(tx bot.Tx) error {
			s, err := e.session(ctx, tx, m, now)
			if err != nil {
				return err
			}
			res, err = s.submit(ctx, sub)
			if err == nil && !res.OK() {
				return errProblems
			}
			return err
		})
		if !errors.Is(err, bot.ErrConflict) {
			break
		}
	}
	switch {
	case err == nil, errors.Is(err, errProblems):
		return res, nil
	case errors.Is(err, bot.ErrDuplicateEvent):
		if e.Observer != nil {
			e.Observer.Duplicate(m.Platform)
		}
		return bot.FormResult{}, nil
	}
	var refusal *bot.Error
	if errors.As(err, &refusal) {
		// Refused before the form was read (the speaker could not be
		// identified, a conflict that would not settle).
		lang := e.Lang
		msg := words.Refusal(lang, refusal)
		return bot.FormResult{Problems: []bot.FormProblem{{Message: msg, Refusal: refusal}},
			Replies: []bot.Reply{{Body: "⚠️ " + msg, Refusal: refusal}}}, nil
	}
	e.Log.Error("form submission failed", "form", sub.Form, "err", err)
	return bot.FormResult{}, err
}

// submit reads a submission into a dialog and commits it.
func (s *session) submit(ctx context.Context, sub bot.Submission) (bot.FormResult, error) {
	t, _ := s.e.Forms.Get(sub.Form)
	if err := s.progressStatuses(ctx, &sub); err != nil {
		return bot.FormResult{}, err
	}
	d := &dialog{Form: sub.Form, Target: sub.Target, Values: forms.Values{}, Pasted: true, Started: s.now, Touched: s.now}
	if read, ok := currentOf[sub.Form]; ok && sub.Target != "" {
		v, err := read(ctx, s, sub.Target)
		if err != nil {
			return bot.FormResult{}, err
		}
		d.Values = v
	}
	var res bot.FormResult
	problem := func(key string, err *bot.Error) {
		if slices.ContainsFunc(res.Problems, func(p bot.FormProblem) bool { return key != "" && p.Field == key }) {
			return
		}
		res.Problems = append(res.Problems, bot.FormProblem{Field: key, Message: s.refusal(err), Refusal: err})
	}
	for _, f := range t.Fields {
		raw, people := sub.Values[f.Key], sub.People[f.Key]
		var canonical string
		var err error
		switch {
		case f.Type == forms.TypePerson || f.Type == forms.TypePeople:
			if len(people) == 0 {
				continue
			}
			canonical, err = f.ResolvePeople(s.formContext(), people)
		default:
			text := strings.TrimSpace(strings.Join(raw, separator(f.Type)))
			if text == "" {
				continue
			}
			canonical, err = s.parse(ctx, d, f, text)
		}
		var refusal *bot.Error
		switch {
		case errors.As(err, &refusal):
			problem(f.Key, refusal)
		case err != nil:
			return res, err
		case canonical != "":
			d.Values[f.Key] = canonical
		}
	}
	for _, f := range t.Fields {
		if !t.Active(f, d.Values) {
			delete(d.Values, f.Key) // answers to questions another answer ruled out
		}
	}
	for _, f := range s.missing(d, t) {
		problem(f.Key, bot.RefuseField(bot.CodeRequired, f.Key, "refuse.required", bot.Args{"label": f.Label}))
	}
	if len(res.Problems) == 0 {
		err := actions[d.Form](ctx, s, d)
		var refusal *bot.Error
		switch {
		case errors.As(err, &refusal):
			key := refusal.Field
			if _, ok := t.Field(key); !ok {
				key = ""
			}
			problem(key, refusal)
		case err != nil:
			return res, err
		default:
			res.Replies = s.out
			return res, nil
		}
	}
	// The same problems in words, for a renderer that cannot show them
	// beside the fields (a modal already closed).
	var lines []string
	for _, p := range res.Problems {
		if f, ok := t.Field(p.Field); ok {
			lines = append(lines, "• "+s.fieldProblem(f, p.Refusal))
		} else {
			lines = append(lines, "• "+p.Message)
		}
	}
	res.Replies = []bot.Reply{{Title: t.Title.In(s.lang), Body: s.w("reply.form.needs_fixing", words.Args{"problems": strings.Join(lines, "\n")}),
		Refusal: res.Problems[0].Refusal}}
	return res, nil
}

// separator joins the values of one field as one typed answer.
func separator(t forms.Type) string {
	switch t {
	case forms.TypeDepartments, forms.TypeDepartment:
		return ","
	case forms.TypeLongText, forms.TypeList, forms.TypeActions, forms.TypeDeliverables, forms.TypeStatuses:
		return "\n"
	}
	return " "
}

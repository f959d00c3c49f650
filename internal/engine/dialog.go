package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
)

// dialog is a form being filled in, saved after every answer so that a
// restart continues where it stopped.
type dialog struct {
	Form    string       `json:"form"`
	Target  string       `json:"target,omitempty"` // what the form is about: "COL-3", "COL-3/研发部", "T-5", "M-2", "R-1"
	Values  forms.Values `json:"values"`
	Asking  string       `json:"asking,omitempty"`  // the field asked now; "" at the summary
	Asked   []string     `json:"asked,omitempty"`   // fields asked so far, for "back"
	Skipped []string     `json:"skipped,omitempty"` // optional fields the person skipped
	// Pasted forms ask only for what is missing; step-by-step forms offer
	// every field.
	Pasted  bool      `json:"pasted,omitempty"`
	Started time.Time `json:"started"`
	Touched time.Time `json:"touched"`
}

func (d *dialog) template(s *session) *forms.Template {
	t, _ := s.e.Forms.Get(d.Form)
	return t
}

func (d *dialog) title(s *session) string {
	if t := d.template(s); t != nil {
		return t.Title.In(s.lang)
	}
	return d.Form
}

// Words that steer a dialog rather than answer it.
var (
	wordsCancel  = []string{"cancel", "取消", "放弃", "quit"}
	wordsBack    = []string{"back", "上一步", "返回"}
	wordsSkip    = []string{"skip", "跳过", "-", "无", "none", "n/a"}
	wordsConfirm = []string{"confirm", "确认", "确定", "ok", "yes", "提交", "submit"}
	wordsEdit    = []string{"edit", "修改", "改"}
)

func is(text string, words []string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	return slices.Contains(words, t)
}

func (s *session) loadDialog(ctx context.Context) (*dialog, error) {
	raw, ok, err := s.tx.Dialog(ctx, s.key)
	if err != nil || !ok {
		return nil, err
	}
	d := new(dialog)
	if err := json.Unmarshal(raw, d); err != nil || d.template(s) == nil {
		// A state written by an older version, or a template removed by an
		// operator: drop it rather than trap the person in it.
		s.e.Log.Warn("dropping unreadable dialog", "person", s.key.Person, "err", err)
		return nil, s.tx.EndDialog(ctx, s.key)
	}
	if s.now.Sub(d.Touched) > s.e.Idle {
		s.say("你的“%s”表单已超过 %s 未操作,已自动放弃。", "Your “%s” form was idle for more than %s and has been dropped.",
			d.title(s), s.e.Idle)
		return nil, s.tx.EndDialog(ctx, s.key)
	}
	return d, nil
}

func (s *session) saveDialog(ctx context.Context, d *dialog) error {
	d.Touched = s.now
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("engine: encode dialog: %w", err)
	}
	return s.tx.SaveDialog(ctx, s.key, raw)
}

// startForm opens a form about target, prefilled with values, and reads a
// pasted form from text if there is one. A complete paste goes straight to
// the summary.
func (s *session) startForm(ctx context.Context, form, target string, values forms.Values, text string) error {
	t, ok := s.e.Forms.Get(form)
	if !ok {
		return fmt.Errorf("engine: no template %q", form)
	}
	if values == nil {
		values = forms.Values{}
	}
	if s.open != nil {
		s.say("(未完成的“%s”表单已放弃。)", "(Your unfinished “%s” form was dropped.)", s.open.title(s))
		s.open = nil
	}
	d := &dialog{Form: form, Target: target, Values: values, Started: s.now}
	if strings.TrimSpace(text) != "" {
		if !s.paste(d, t, text) {
			// Not a form: take the text as the answer to the first question.
			s.advance(d, t)
			return s.answer(ctx, d, t, text)
		}
		d.Pasted = true
	}
	s.advance(d, t)
	return s.present(ctx, d, t)
}

// paste merges "key: value" lines into the form, reporting what it could
// not use. It returns false when the text has no form lines at all.
func (s *session) paste(d *dialog, t *forms.Template, text string) bool {
	raw, unknown, ok := t.ParsePaste(text)
	if !ok {
		return false
	}
	var problems []string
	for _, f := range t.Fields {
		v, given := raw[f.Key]
		if !given {
			continue
		}
		canonical, err := s.parse(d, f, v)
		if err != nil {
			problems = append(problems, "• "+f.Label.In(s.lang)+": "+bot.UserMessage(err, s.lang))
			delete(d.Values, f.Key)
			continue
		}
		d.Values[f.Key] = canonical
	}
	if len(unknown) > 0 {
		problems = append(problems, s.tr("• 未识别的字段:%s", "• Fields I do not know: %s", strings.Join(unknown, ", ")))
	}
	if len(problems) > 0 {
		s.say("已读取表单,但有些内容需要改正:\n%s", "I read the form, but some of it needs fixing:\n%s", strings.Join(problems, "\n"))
	}
	return true
}

// deadlines are the fields the rules require to lie in the future; they
// are refused as soon as they are typed rather than at the summary.
var deadlines = map[string]string{"request": "due", "task": "due", "meeting": "start",
	"acceptance": "due", "risk": "due", "risk_response": "due"}

// parse reads one answer for the dialog's form.
func (s *session) parse(d *dialog, f *forms.Field, raw string) (string, error) {
	canonical, err := f.Parse(s.formContext(), raw)
	if err != nil || deadlines[d.Form] != f.Key {
		return canonical, err
	}
	if err := bot.FutureDue(f.Key, (forms.Values{f.Key: canonical}).Time(f.Key, s.loc()), s.now); err != nil {
		return "", err
	}
	return canonical, nil
}

// advance picks the next field to ask, or none for the summary.
func (s *session) advance(d *dialog, t *forms.Template) {
	d.Asking = ""
	for _, f := range t.Fields {
		if !t.Active(f, d.Values) || d.Values[f.Key] != "" || slices.Contains(d.Skipped, f.Key) {
			continue
		}
		if d.Pasted && !t.Requires(f, d.Values) {
			continue
		}
		d.Asking = f.Key
		if n := len(d.Asked); n == 0 || d.Asked[n-1] != f.Key {
			d.Asked = append(d.Asked, f.Key)
		}
		return
	}
}

// present asks the current question, or shows the summary, and saves.
func (s *session) present(ctx context.Context, d *dialog, t *forms.Template) error {
	if d.Asking == "" {
		s.reply(s.summary(d, t))
	} else {
		f, _ := t.Field(d.Asking)
		s.reply(s.question(d, t, f))
	}
	return s.saveDialog(ctx, d)
}

func (s *session) question(d *dialog, t *forms.Template, f *forms.Field) bot.Reply {
	var b strings.Builder
	b.WriteString(f.Prompt.In(s.lang))
	if h := f.Help.In(s.lang); h != "" {
		b.WriteString("\n_" + h + "_")
	}
	if t.Requires(f, d.Values) {
		b.WriteString(s.tr("\n(必填;`上一步` 返回,`取消` 放弃)", "\n(required; `back` to go back, `cancel` to stop)"))
	} else {
		b.WriteString(s.tr("\n(选填:`跳过` 跳过;`上一步` 返回,`取消` 放弃)", "\n(optional: `skip` to leave it out; `back` to go back, `cancel` to stop)"))
	}
	r := bot.Reply{Title: fmt.Sprintf("%s · %s", t.Title.In(s.lang), f.Label.In(s.lang)), Body: b.String()}
	for _, c := range f.Choices {
		r.Buttons = append(r.Buttons, bot.Button{Label: c.Label.In(s.lang), Action: "answer", Value: c.Value, Command: c.Value})
	}
	return r
}

// summary shows every answer for confirmation before anything is committed.
func (s *session) summary(d *dialog, t *forms.Template) bot.Reply {
	r := bot.Reply{Title: s.tr("请确认:%s", "Please confirm: %s", t.Title.In(s.lang))}
	if d.Target != "" {
		r.Title += " · " + d.Target
	}
	for _, f := range t.Fields {
		if !t.Active(f, d.Values) || d.Values[f.Key] == "" {
			continue
		}
		r.Fields = append(r.Fields, bot.Field{Label: f.Label.In(s.lang), Value: s.display(f, d.Values[f.Key])})
	}
	r.Body = s.tr("回复 `确认` 提交,`修改 <字段>` 修改某项,`取消` 放弃。",
		"Reply `confirm` to submit, `edit <field>` to change an answer, or `cancel` to drop it.")
	r.Buttons = []bot.Button{
		{Label: s.tr("确认", "Confirm"), Action: "answer", Value: "confirm", Command: "confirm", Style: "primary"},
		{Label: s.tr("取消", "Cancel"), Action: "answer", Value: "cancel", Command: "cancel", Style: "danger"},
	}
	return r
}

// display shows a canonical answer the way people read it: names for
// person ids, one item per line for lists.
func (s *session) display(f *forms.Field, v string) string {
	switch f.Type {
	case forms.TypePerson, forms.TypePeople:
		var names []string
		for _, p := range (forms.Values{"x": v}).People("x") {
			names = append(names, s.name(p))
		}
		return strings.Join(names, ", ")
	case forms.TypeChoice:
		for _, c := range f.Choices {
			if c.Value == v {
				return c.Label.In(s.lang)
			}
		}
	}
	return v
}

// continueDialog takes a message as the next step of the open form.
func (s *session) continueDialog(ctx context.Context, d *dialog, text string) error {
	t := d.template(s)
	text = strings.TrimSpace(text)
	switch {
	case is(text, wordsCancel):
		s.say("已取消“%s”,没有提交任何内容。", "Dropped the “%s” form; nothing was submitted.", d.title(s))
		return s.tx.EndDialog(ctx, s.key)
	case is(text, wordsBack):
		if n := len(d.Asked); n > 1 && d.Asking != "" {
			d.Asked = d.Asked[:n-1]
		}
		if n := len(d.Asked); n > 0 {
			d.Asking = d.Asked[n-1]
			d.Skipped = slices.DeleteFunc(d.Skipped, func(k string) bool { return k == d.Asking })
		}
		return s.present(ctx, d, t)
	case is(text, wordsConfirm):
		// "confirm" means submit, also in the middle of the optional
		// questions; never an answer to one.
		if missing := t.Missing(d.Values); len(missing) > 0 {
			var labels []string
			for _, f := range missing {
				labels = append(labels, f.Label.In(s.lang))
			}
			s.say("还不能提交,缺少必填项:%s", "Not yet: these required fields are missing: %s", joinList(s.lang, labels))
			return s.present(ctx, d, t)
		}
		return s.commit(ctx, d)
	case d.Asking == "" && s.editRequest(d, t, text):
		return s.present(ctx, d, t)
	case d.Asking == "":
		if s.paste(d, t, text) {
			d.Pasted = true
			s.advance(d, t)
			return s.present(ctx, d, t)
		}
		s.say("请回复 `确认` 提交,`修改 <字段>` 修改,或 `取消` 放弃。",
			"Reply `confirm` to submit, `edit <field>` to change an answer, or `cancel` to drop the form.")
		return s.present(ctx, d, t)
	}
	return s.answer(ctx, d, t, text)
}

func startsWithKey(t *forms.Template, text string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.Replace(first, "：", ":", 1)
	key, _, ok := strings.Cut(first, ":")
	if !ok {
		return false
	}
	_, known := t.Field(strings.TrimSpace(key))
	return known
}

// editRequest handles "edit <field>" / "修改 <字段>" at the summary.
func (s *session) editRequest(d *dialog, t *forms.Template, text string) bool {
	word, field, _ := strings.Cut(text, " ")
	if !is(word, wordsEdit) {
		return false
	}
	f, ok := t.Field(strings.TrimSpace(field))
	if !ok || !t.Active(f, d.Values) {
		var labels []string
		for _, f := range t.Fields {
			if t.Active(f, d.Values) {
				labels = append(labels, f.Label.In(s.lang))
			}
		}
		s.say("没有“%s”这一项。可修改:%s", "There is no “%s” field. You can edit: %s", strings.TrimSpace(field), strings.Join(labels, ", "))
		return true
	}
	d.Asking = f.Key
	d.Asked = append(d.Asked, f.Key)
	return true
}

// answer takes text as the answer to the current question: a wrong answer
// is refused with an example and asked again; the dialog never ends on it.
func (s *session) answer(ctx context.Context, d *dialog, t *forms.Template, text string) error {
	f, ok := t.Field(d.Asking)
	if !ok {
		s.advance(d, t)
		return s.present(ctx, d, t)
	}
	s.step = d.Form // an answer (or a skip) to one of the form's questions
	if is(text, wordsSkip) {
		if t.Requires(f, d.Values) {
			s.say("“%s”是必填项,不能跳过。", "“%s” is required and cannot be skipped.", f.Label.In(s.lang))
			return s.present(ctx, d, t)
		}
		d.Skipped = append(d.Skipped, f.Key)
		delete(d.Values, f.Key)
		s.advance(d, t)
		return s.present(ctx, d, t)
	}
	// A pasted form in answer to a question fills several fields at once;
	// an answer of several lines is a paste only if it starts with a field
	// name, since list answers ("目标:对齐范围") may hold colons too.
	if strings.Contains(text, "\n") && startsWithKey(t, text) && s.paste(d, t, text) {
		d.Pasted = true // from now on ask only for what is missing
		s.advance(d, t)
		return s.present(ctx, d, t)
	}
	canonical, err := s.parse(d, f, text)
	var refusal *bot.Error
	if errors.As(err, &refusal) {
		s.say("%s", "%s", "⚠️ "+refusal.Message(s.lang))
		return s.present(ctx, d, t)
	}
	if err != nil {
		return err
	}
	d.Values[f.Key] = canonical
	// Answers to fields that no longer apply (a decision changed) go.
	for _, other := range t.Fields {
		if !t.Active(other, d.Values) {
			delete(d.Values, other.Key)
		}
	}
	s.advance(d, t)
	return s.present(ctx, d, t)
}

// commit hands the confirmed form to its action. A refusal rolls the whole
// message back, so the dialog stays at the summary, and says what to fix.
func (s *session) commit(ctx context.Context, d *dialog) error {
	act, ok := actions[d.Form]
	if !ok {
		return fmt.Errorf("engine: no action for form %q", d.Form)
	}
	if err := act(ctx, s, d); err != nil {
		var refusal *bot.Error
		if errors.As(err, &refusal) {
			return &bot.Error{Code: refusal.Code, Field: refusal.Field, Msg: bot.Text{
				ZH: refusal.Msg.ZH + "\n请用 `修改 <字段>` 改正后再 `确认`,或 `取消`。",
				EN: refusal.Msg.EN + "\nUse `edit <field>` to fix it, then `confirm` again, or `cancel`."}}
		}
		return err
	}
	return s.tx.EndDialog(ctx, s.key)
}

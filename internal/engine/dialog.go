package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
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
	// Adding is the list field (forms.Field.More) whose items are being
	// sent one message each: its next answer adds to it.
	Adding string `json:"adding,omitempty"`
	// Pasted forms ask only for what is missing; step-by-step forms offer
	// every field.
	Pasted bool `json:"pasted,omitempty"`
	// Wrong holds what a paste gave for each field it could not read,
	// by key: such a field is asked again, optional or not, showing why,
	// and never left to a default the person did not choose.
	Wrong   map[string]string `json:"wrong,omitempty"`
	Started time.Time         `json:"started"`
	Touched time.Time         `json:"touched"`
	// Attachments are the files and links shared while the form was
	// open; they go with what it records.
	Attachments []bot.Attachment `json:"attachments,omitempty"`
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
	wordsSkip    = []string{"skip", "跳过", "-", "无", "没有", "暂无", "none", "n/a", "na", "nothing"}
	wordsConfirm = []string{"confirm", "确认", "确定", "ok", "yes", "提交", "submit"}
	wordsAgree   = []string{"ok", "yes"}
	wordsEdit    = []string{"edit", "修改", "改"}
	// wordsNext end a list typed one item per message (forms.Field.More).
	wordsNext = []string{"next", "下一步", "下一项", "好了", "done", "没了", "就这些"}
)

func is(text string, words []string) bool {
	t := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), "。.!！"))
	return slices.Contains(words, t)
}

// steers reports whether text steers the open form rather than answers it
// or names a command: cancel, back, skip, confirm, edit <field>.
func (s *session) steers(d *dialog, text string) bool {
	for _, w := range [][]string{wordsCancel, wordsBack, wordsSkip, wordsConfirm, wordsEdit} {
		if is(text, w) {
			return true
		}
	}
	word, field, ok := strings.Cut(strings.TrimSpace(text), " ")
	if !ok || !is(word, wordsEdit) {
		return false
	}
	_, known := d.template(s).Field(strings.TrimSpace(field))
	return known
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
	if s.describing {
		return s.describe(&dialog{Form: form, Target: target, Values: values}, false, text)
	}
	_, _, pasted := t.ParsePaste(text)
	s.putAside(form, target, pasted || (target != "" && len(values) > 0))
	d := &dialog{Form: form, Target: target, Values: values, Started: s.now}
	if strings.TrimSpace(text) != "" {
		if !s.paste(ctx, d, t, text) {
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
func (s *session) paste(ctx context.Context, d *dialog, t *forms.Template, text string) bool {
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
		if is(v, wordsSkip) && !t.Requires(f, d.Values) {
			// "遇到的问题: 无" means no problem, not a problem called 无.
			delete(d.Values, f.Key)
			d.Skipped = append(d.Skipped, f.Key)
			continue
		}
		canonical, err := s.parse(ctx, d, f, v)
		if err != nil {
			problems = append(problems, "• "+s.fieldProblem(f, err))
			delete(d.Values, f.Key)
			d.wrong(f.Key, v)
			s.told = append(s.told, f.Key)
			continue
		}
		delete(d.Wrong, f.Key)
		if before := d.Values[f.Key]; before != canonical {
			d.Values[f.Key] = canonical
			if _, given := raw["contacts"]; !given {
				s.contactsFollow(d, f.Key, before)
			}
		}
	}
	if len(unknown) > 0 {
		problems = append(problems, s.w("reply.form.unknown_fields", words.Args{"fields": strings.Join(unknown, ", ")}))
	}
	if len(problems) > 0 {
		s.sayKey("reply.form.needs_fixing", words.Args{"problems": strings.Join(problems, "\n")})
	}
	return true
}

// fieldProblem is what was wrong with a field's answer, named by its
// label once: a refusal that has a label (an answer's own, "请填写…")
// already names the field.
func (s *session) fieldProblem(f *forms.Field, err error) string {
	var refusal *bot.Error
	if errors.As(err, &refusal) {
		if _, named := refusal.Msg.Args["label"]; named {
			return s.refusal(err)
		}
	}
	return f.Label.In(s.lang) + ": " + s.refusal(err)
}

// wrong notes what a paste gave for a field it could not read.
func (d *dialog) wrong(key, raw string) {
	if d.Wrong == nil {
		d.Wrong = map[string]string{}
	}
	d.Wrong[key] = raw
}

// fixing is the first field a paste got wrong that is still to be
// answered (or skipped), or nil.
func (d *dialog) fixing(t *forms.Template) *forms.Field {
	for _, f := range t.Fields {
		if _, ok := d.Wrong[f.Key]; ok && t.Active(f, d.Values) && d.Values[f.Key] == "" && !slices.Contains(d.Skipped, f.Key) {
			return f
		}
	}
	return nil
}

// foreign refuses a paste whose keys belong to another form: it would
// otherwise put another form's answers into this one (a meeting's start
// into a task). The open form is left as it was.
func (s *session) foreign(d *dialog, t *forms.Template, text string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	keys := forms.PasteKeys(text)
	if len(keys) < 2 || len(forms.PasteKeys(first)) == 0 {
		// A paste starts with a key; an answer of several lines that
		// holds a "负责人: ben" line further down is an answer.
		return false
	}
	mine := 0
	for _, k := range keys {
		if _, ok := t.Field(k); ok {
			mine++
		}
	}
	best, hits := "", 0
	for _, name := range s.e.Forms.Names() {
		if name == d.Form {
			continue
		}
		other, _ := s.e.Forms.Get(name)
		n := 0
		for _, k := range keys {
			if _, ok := other.Field(k); ok {
				n++
			}
		}
		if n > hits {
			best, hits = name, n
		}
	}
	// A list answer may hold a "目标: …" line or two; a paste of another
	// form has several of its keys, more than this form knows.
	if hits < 2 || hits <= mine {
		return false
	}
	other, _ := s.e.Forms.Get(best)
	s.sayKey("reply.form.other_form", words.Args{"form": other.Title.In(s.lang), "current": d.title(s), "command": s.w(openedBy[best], nil)})
	return true
}

// openedBy is the command that opens each form, for a hint: its key in
// the catalogue.
var openedBy = map[string]string{
	"request":         "help.open.request",
	"acknowledgement": "help.open.acknowledgement",
	"review":          "help.open.review",
	"task":            "help.open.task",
	"progress":        "help.open.progress",
	"meeting":         "help.open.meeting",
	"agenda":          "help.open.agenda",
	"minutes":         "help.open.minutes",
	"risk":            "help.open.risk",
	"risk_response":   "help.open.risk_response",
	"delivery":        "help.open.delivery",
	"acceptance":      "help.open.acceptance",
	"retrospective":   "help.open.retrospective",
	"resolution":      "help.open.resolution",
	"signoff":         "help.open.signoff",
	"plan":            "help.open.plan",
	"plan_decision":   "help.open.plan_decision",
}

// contactsFollow keeps a request's contacts with their departments when
// the departments change: a department kept keeps its contact, a new one
// gets its own.
func (s *session) contactsFollow(d *dialog, key, before string) {
	if d.Form != "request" || key != "departments" || d.Values["contacts"] == "" {
		return
	}
	v := d.Values
	old := map[string]bot.PersonID{}
	matched, _ := s.dir.MatchContacts("contacts", (forms.Values{"x": before}).Departments("x"), v.People("contacts"))
	for _, a := range matched {
		if a.Contact != "" {
			old[a.Department] = a.Contact
		}
	}
	// Where the type has the approval step the head decides and is the
	// contact the request will name (bot.NewTyped): the summary says so.
	kind, _ := s.e.Forms.Type(v["type"])
	var ids []string
	for _, dept := range v.Departments("departments") {
		p, ok := old[dept]
		if !ok {
			if cfg, found := s.dir.Department(dept); found {
				p = cmp.Or(cfg.Contact, cfg.Head)
				if kind.Has(bot.StepApproval) {
					p = cmp.Or(cfg.Head, cfg.Contact)
				}
			}
		}
		ids = append(ids, string(p))
	}
	v["contacts"] = strings.Join(ids, ",")
}

// checkContacts refuses a request's contacts as soon as they are typed
// when one of them belongs to none of the assisting departments or two
// would answer for one, rather than at the summary. The answer is kept in
// the departments' order, so the summary reads like the departments.
func (s *session) checkContacts(d *dialog, key, canonical string) (string, error) {
	depts := d.Values.Departments("departments")
	if d.Form != "request" || key != "contacts" || len(depts) == 0 {
		return canonical, nil
	}
	matched, err := s.dir.MatchContacts(key, depts, (forms.Values{key: canonical}).People(key))
	if err != nil {
		return "", err
	}
	var ids []string
	for _, a := range matched {
		if a.Contact != "" {
			ids = append(ids, string(a.Contact))
		}
	}
	return strings.Join(ids, ","), nil
}

// deadlines are the fields the rules require to lie in the future; they
// are refused as soon as they are typed rather than at the summary.
var deadlines = map[string]string{"request": "due", "task": "due", "meeting": "start",
	"acceptance": "due", "risk": "due", "risk_response": "due"}

// parse reads one answer for the dialog's form.
func (s *session) parse(ctx context.Context, d *dialog, f *forms.Field, raw string) (string, error) {
	canonical, err := f.Parse(s.formContext(), raw)
	if err == nil {
		err = s.checkPeriod(d, f.Key, canonical)
	}
	if err == nil {
		canonical, err = s.checkContacts(d, f.Key, canonical)
	}
	if err == nil {
		err = s.checkApprovers(d, f.Key, canonical)
	}
	if err == nil {
		err = s.checkItemLines(ctx, d, f.Key, canonical)
	}
	if err != nil || deadlines[d.Form] != f.Key {
		return canonical, err
	}
	at := (forms.Values{f.Key: canonical}).Time(f.Key, s.loc())
	check := bot.FutureDue(f.Key, at, s.now)
	if d.Form == "meeting" {
		check = bot.FutureStart(at, s.now) // a meeting's time, not a due date
	}
	if check != nil {
		return "", check
	}
	return canonical, nil
}

// advance picks the next field to ask, or none for the summary. A field
// skipped while it was optional is asked again once another answer made
// it required.
func (s *session) advance(d *dialog, t *forms.Template) {
	d.Asking = ""
	for _, f := range t.Fields {
		required := s.requires(d, t, f)
		if !t.Active(f, d.Values) || d.Values[f.Key] != "" || (slices.Contains(d.Skipped, f.Key) && !required) {
			continue
		}
		if _, wrong := d.Wrong[f.Key]; d.Pasted && !required && !wrong {
			continue
		}
		d.Asking = f.Key
		if n := len(d.Asked); n == 0 || d.Asked[n-1] != f.Key {
			d.Asked = append(d.Asked, f.Key)
		}
		return
	}
}

// rules are what a form's domain rule requires beyond what its template
// can say: a requirement that depends on several answers. The dialog asks
// for these as for any required field, saying why.
var rules = map[string]func(d *dialog) (keys []string, why bot.Text){
	// A task marked needs help or blocked says what is needed: the
	// problems of the update serve as that note.
	"progress": func(d *dialog) ([]string, bot.Text) {
		v := d.Values
		if v.Text("problems") == "" {
			for _, ch := range v.Statuses("status") {
				if (ch.Status == bot.TaskNeedsHelp || ch.Status == bot.TaskBlocked) && ch.Note == "" {
					return []string{"problems"}, words.Text("reply.form.problems_needed", words.Args{"task": ch.Task, "status": both(ch.Status.Label)})
				}
			}
		}
		if v.Text("done") == "" && v.Text("pending") == "" && v.Text("problems") == "" && v.Text("status") == "" && asked(d, "done", "pending", "problems", "status") {
			return []string{"done"}, words.Text("reply.form.progress_empty", nil)
		}
		return nil, bot.Text{}
	},
	// Minutes hold at least one decision or action item.
	"minutes": func(d *dialog) ([]string, bot.Text) {
		if d.Values.Text("decisions") == "" && d.Values.Text("actions") == "" && asked(d, "decisions", "actions") {
			return []string{"decisions"}, words.Text("reply.form.minutes_empty", nil)
		}
		return nil, bot.Text{}
	},
}

// asked reports whether every one of keys was put to the person, or the
// form was pasted (where nothing more will come unasked).
func asked(d *dialog, keys ...string) bool {
	if d.Pasted {
		return true
	}
	for _, k := range keys {
		if !slices.Contains(d.Asked, k) && !slices.Contains(d.Skipped, k) {
			return false
		}
	}
	return true
}

// requires reports whether f must be answered: by its template, or by a
// rule of its form given the other answers.
func (s *session) requires(d *dialog, t *forms.Template, f *forms.Field) bool {
	if t.Requires(f, d.Values) {
		return true
	}
	if rule, ok := rules[d.Form]; ok {
		keys, _ := rule(d)
		return slices.Contains(keys, f.Key)
	}
	return false
}

// missing lists the required fields still without an answer.
func (s *session) missing(d *dialog, t *forms.Template) []*forms.Field {
	var out []*forms.Field
	for _, f := range t.Fields {
		if s.requires(d, t, f) && strings.TrimSpace(d.Values[f.Key]) == "" {
			out = append(out, f)
		}
	}
	return out
}

// present asks the current question, or shows the summary, and saves.
func (s *session) present(ctx context.Context, d *dialog, t *forms.Template) error {
	f, ok := t.Field(d.Asking)
	if d.Asking != "" && !ok {
		// The template changed under a saved form (an operator's override,
		// a new release): a question it no longer has moves on.
		s.advance(d, t)
		f, _ = t.Field(d.Asking)
	}
	if d.Adding != d.Asking {
		d.Adding = "" // another question: the list is no longer being added to
	}
	if d.Asking == "" {
		s.reply(s.summary(d, t))
	} else {
		s.retell(ctx, d, f)
		s.reply(s.question(d, t, f))
	}
	return s.saveDialog(ctx, d)
}

// retell says again why a field a paste got wrong is asked, unless this
// message already said it.
func (s *session) retell(ctx context.Context, d *dialog, f *forms.Field) {
	raw, ok := d.Wrong[f.Key]
	if !ok || d.Values[f.Key] != "" || slices.Contains(s.told, f.Key) {
		return
	}
	if _, err := s.parse(ctx, d, f, raw); err != nil {
		s.reply(bot.Reply{Body: "⚠️ " + s.fieldProblem(f, err)})
	}
	s.told = append(s.told, f.Key)
}

// question asks one field in chat, from the field's description as a
// modal or a card draws it (see formspec.go).
func (s *session) question(d *dialog, t *forms.Template, f *forms.Field) bot.Reply {
	q := s.fieldOf(t, f, d.Values)
	var b strings.Builder
	b.WriteString(q.Prompt.In(s.lang))
	if h := q.Help.In(s.lang); h != "" {
		b.WriteString("\n_" + h + "_")
	}
	if rule, ok := rules[d.Form]; ok && !t.Requires(f, d.Values) {
		if keys, why := rule(d); slices.Contains(keys, f.Key) {
			b.WriteString("\n" + why.In(s.lang))
		}
	}
	if items := d.Values.List(f.Key); d.Adding == f.Key && len(items) > 0 {
		b.WriteString(s.w("reply.form.hint_more", words.Args{"n": len(items), "items": joinList(s.lang, items)}))
	} else if s.requires(d, t, f) {
		b.WriteString(s.w("reply.form.hint_required", nil))
	} else {
		b.WriteString(s.w("reply.form.hint_optional", nil))
	}
	title := t.Title.In(s.lang)
	if strings.Contains(d.Target, "/") {
		// An answer for a department ("对接确认 · COL-1 研发部") names
		// which collaboration it answers: a contact asked by several
		// sees which one each question is about.
		title = d.label(s)
	}
	r := bot.Reply{Title: fmt.Sprintf("%s · %s", title, q.Label.In(s.lang)), Body: b.String()}
	if q.Kind != bot.InputChoice {
		return r // departments are typed in chat, not a button each
	}
	for _, c := range q.Choices {
		// Typed, the choice is its label in the reader's language; the
		// button sends the canonical value.
		r.Buttons = append(r.Buttons, bot.Button{Label: c.Label.In(s.lang), Action: "answer", Value: c.Value, Command: c.Label.In(s.lang)})
	}
	return r
}

// summary shows every answer for confirmation before anything is committed.
func (s *session) summary(d *dialog, t *forms.Template) bot.Reply {
	r := bot.Reply{Title: s.w("reply.form.confirm_title", words.Args{"form": t.Title.In(s.lang)})}
	if d.Target != "" {
		r.Title += " · " + d.Target
	}
	for _, f := range t.Fields {
		if !t.Active(f, d.Values) || d.Values[f.Key] == "" {
			continue
		}
		r.Fields = append(r.Fields, bot.Field{Label: f.Label.In(s.lang), Value: s.display(f, d.Values[f.Key])})
	}
	if len(d.Attachments) > 0 {
		var names []string
		for _, a := range d.Attachments {
			names = append(names, a.Line())
		}
		r.Fields = append(r.Fields, bot.Field{Label: s.w("field.attachments", nil), Value: strings.Join(names, "\n")})
	}
	r.Body = s.w("reply.form.confirm_hint", nil)
	r.Buttons = []bot.Button{
		{Label: s.w("reply.form.button_confirm", nil), Action: "answer", Value: "confirm", Command: s.w("reply.form.command_confirm", nil), Style: "primary"},
		{Label: s.w("reply.form.button_cancel", nil), Action: "answer", Value: "cancel", Command: s.w("reply.form.command_cancel", nil), Style: "danger"},
	}
	return r
}

// display shows a canonical answer the way people read it: names for
// person ids, labels for status words, one item per line for the rows of
// actions, deliverables and statuses — never the "|"-joined form kept.
func (s *session) display(f *forms.Field, v string) string {
	x := forms.Values{"x": v}
	var rows []string
	switch f.Type {
	case forms.TypePerson, forms.TypePeople:
		var names []string
		for _, p := range x.People("x") {
			names = append(names, s.name(p))
		}
		return joinList(s.lang, names)
	case forms.TypeDepartments:
		return joinList(s.lang, x.Departments("x"))
	case forms.TypeChoice:
		for _, c := range f.Choices {
			if c.Value == v {
				return c.Label.In(s.lang)
			}
		}
		return v
	case forms.TypeStatuses:
		for _, ch := range x.Statuses("x") {
			rows = append(rows, strings.TrimSpace(ch.Task.String()+" "+ch.Status.Label(s.lang)+" "+ch.Note))
		}
	case forms.TypeActions:
		for _, a := range x.Actions("x", s.loc()) {
			rows = append(rows, s.name(a.Owner)+" · "+a.What+" · "+s.fmtTime(a.Due))
		}
	case forms.TypeDeliverables:
		for i, d := range x.Deliverables("x") {
			rows = append(rows, strconv.Itoa(i+1)+". "+deliverableLine(d))
		}
	default:
		return v
	}
	return strings.Join(rows, "\n")
}

// continueDialog takes a message as the next step of the open form.
func (s *session) continueDialog(ctx context.Context, d *dialog, text string) error {
	t := d.template(s)
	text = strings.TrimSpace(text)
	switch {
	case is(text, wordsCancel):
		s.sayKey("reply.form.dropped", words.Args{"form": d.title(s)})
		return s.endDialog(ctx)
	case is(text, wordsBack):
		if n := len(d.Asked); n > 1 && d.Asking != "" {
			d.Asked = d.Asked[:n-1]
		} else if d.Asking == "" {
			// At the summary, the summary itself ("" in Asked: a field
			// was edited from it) is no step to go back to.
			for n := len(d.Asked); n > 1 && d.Asked[n-1] == ""; n-- {
				d.Asked = d.Asked[:n-1]
			}
		}
		if n := len(d.Asked); n > 0 {
			d.Asking = d.Asked[n-1]
			d.Skipped = slices.DeleteFunc(d.Skipped, func(k string) bool { return k == d.Asking })
		}
		return s.present(ctx, d, t)
	case is(text, wordsConfirm) && (d.Asking == "" || !is(text, wordsAgree)):
		// "confirm" means submit, also in the middle of the optional
		// questions; never an answer to one. A mere "ok" or "yes" submits
		// only at the summary: to a question it may be the answer, and
		// a whole request must not go out unseen on one.
		d.Pasted = true // whatever is missing now is asked, nothing else
		if f := d.fixing(t); f != nil {
			// A field the paste got wrong is answered or skipped, not
			// submitted as its default unseen.
			d.Asking = f.Key
			d.Asked = append(d.Asked, f.Key)
			return s.present(ctx, d, t)
		}
		if missing := s.missing(d, t); len(missing) > 0 {
			var labels []string
			for _, f := range missing {
				labels = append(labels, f.Label.In(s.lang))
			}
			s.sayKey("reply.form.missing_required", words.Args{"fields": joinList(s.lang, labels)})
			s.advance(d, t)
			return s.present(ctx, d, t)
		}
		return s.commit(ctx, d)
	case s.editRequest(d, t, text):
		return s.present(ctx, d, t)
	case strings.Contains(text, "\n") && s.foreign(d, t, text):
		return s.present(ctx, d, t)
	case s.addItem(ctx, d, t, text):
		return s.present(ctx, d, t)
	case d.Asking == "":
		if s.paste(ctx, d, t, text) {
			d.Pasted = true
			s.advance(d, t)
			return s.present(ctx, d, t)
		}
		s.sayKey("reply.form.confirm_or_cancel", nil)
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

// editRequest handles "edit <field>" / "修改 <字段>": at any question it
// goes back to that field, and from the summary "back" returns to the
// summary; an unknown field is answered with the ones there are. At a
// question, "修改" followed by several words or a long one is an answer
// that starts with it ("修改 登录页的提示文案").
func (s *session) editRequest(d *dialog, t *forms.Template, text string) bool {
	word, field, _ := strings.Cut(text, " ")
	if !is(word, wordsEdit) {
		return false
	}
	field = strings.TrimSpace(field)
	f, ok := t.Field(field)
	if !ok && d.Asking != "" && !fieldLike(field) {
		return false
	}
	if !ok || !t.Active(f, d.Values) {
		var labels []string
		for _, f := range t.Fields {
			if t.Active(f, d.Values) {
				labels = append(labels, f.Label.In(s.lang))
			}
		}
		s.sayKey("reply.form.no_such_field", words.Args{"field": strings.TrimSpace(field), "labels": strings.Join(labels, ", ")})
		return true
	}
	if d.Asking == "" {
		d.Asked = append(d.Asked, "") // "back" from the field: the summary
	}
	d.Asking = f.Key
	d.Asked = append(d.Asked, f.Key)
	return true
}

// fieldLike reports whether what follows "修改"/"edit" could be meant as
// a field's name: one word, no longer than a label.
func fieldLike(s string) bool {
	return s != "" && !strings.ContainsFunc(s, unicode.IsSpace) && utf8.RuneCountInString(s) <= 12
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
	adding := f.More && d.Adding == f.Key && d.Values[f.Key] != ""
	if adding && (is(text, wordsSkip) || is(text, wordsNext)) {
		// The list typed one item per message is complete: keep it.
		d.Adding = ""
		s.advance(d, t)
		return s.present(ctx, d, t)
	}
	if is(text, wordsSkip) {
		if s.requires(d, t, f) {
			s.sayKey("reply.form.cannot_skip", words.Args{"label": f.Label.In(s.lang)})
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
	// A question asked again of an answered field (a returned plan, `上一步`)
	// takes `字段: 内容` on one line as well: the field named, not a value
	// that begins with its name. So does any one line led by the key or
	// label of one of the form's fields (a pasted block of one line,
	// "已完成: 完成60%"), as the same line among others already was.
	before := d.Values[f.Key]
	if (strings.Contains(text, "\n") || before != "" || t.LabelledLine(text)) && startsWithKey(t, text) && s.paste(ctx, d, t, text) {
		d.Pasted = true // from now on ask only for what is missing
		if before != "" && d.Values[f.Key] == before {
			// Other fields changed: the one asked again still is.
			return s.present(ctx, d, t)
		}
		s.advance(d, t)
		return s.present(ctx, d, t)
	}
	canonical, err := s.parse(ctx, d, f, text)
	var refusal *bot.Error
	if errors.As(err, &refusal) {
		s.reply(bot.Reply{Body: "⚠️ " + s.refusal(refusal), Refusal: refusal})
		return s.present(ctx, d, t)
	}
	if err != nil {
		return err
	}
	if f.More && adding {
		canonical = d.Values[f.Key] + "\n" + canonical
	}
	if f.More && !strings.Contains(text, "\n") {
		// One item in the message (typed on a phone, one per message):
		// the question stays open for the next until the person moves
		// on. A message of several lines is the rest of the list.
		d.Values[f.Key], d.Adding = canonical, f.Key
		return s.present(ctx, d, t)
	}
	d.Adding = ""
	if before := d.Values[f.Key]; before != canonical {
		d.Values[f.Key] = canonical
		s.contactsFollow(d, f.Key, before)
	}
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
	if gone, err := s.outlived(ctx, d); gone || err != nil {
		return err
	}
	if err := act(ctx, s, d); err != nil {
		var refusal *bot.Error
		if errors.As(err, &refusal) {
			// Name the field to edit where the refusal knows it.
			if t := d.template(s); t != nil && refusal.Field != "" {
				if f, ok := t.Field(refusal.Field); ok {
					return &bot.Error{Code: refusal.Code, Field: refusal.Field,
						Msg: bot.Msg{Key: "refuse.form.fix_field_and_confirm", Args: bot.Args{"refusal": refusal.Msg, "label": f.Label}}}
				}
			}
			return &bot.Error{Code: refusal.Code, Field: refusal.Field,
				Msg: bot.Msg{Key: "refuse.form.fix_and_confirm", Args: bot.Args{"refusal": refusal.Msg}}}
		}
		return err
	}
	if decisions[d.Form] {
		if err := s.settled(ctx, d.Form, d.Target); err != nil {
			return err
		}
	}
	return s.endDialog(ctx)
}

package engine

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// The collaboration types (configs/templates/types.yaml): the request form
// asks each type's fields, and the rules run each type's steps. Here: the
// type chosen at filing ("new resource …", "新建 资源协调 …") or inferred
// from a pasted form, and the commands of the types' own steps.

// typeArg reads a type named as the first word after "new".
func (s *session) typeArg(in input) (bot.TypeDef, bool) {
	if len(s.e.Forms.Types()) == 0 {
		return bot.TypeDef{}, false
	}
	return s.e.Forms.Type(in.arg(0))
}

// misspeltType is the type a lone word after "new" nearly names (a typo:
// "resourse", "资源协凋"), to ask "did you mean …?" rather than guess:
// taken as a topic the typo would file a project, taken as the type it
// would ask the wrong form. Only a word alone: "新建 资源盘点会议" or "new
// sync meeting notes" are topics, and an exact name with words after it
// is the type (typeArg). How near is near depends on the writing:
//
//   - Latin words of 5 letters or more, one edit from a name, a swap of
//     two neighbours counting as one (resourse, problme, alignmnt,
//     issus); "login" is not "loan", "product" is not "project".
//   - Chinese (any word not in ASCII): the same number of characters with
//     one of them different, against names of 4 characters or more. An
//     input method's typo swaps a character for a homophone (协凋 → 协调,
//     申情 → 申请); it rarely adds or drops one, while real topics do
//     exactly that: 信息同步会 (a meeting) is not 信息同步, 项目协同推进会
//     is not 项目协同推进, 资源协调会议 is not 资源协调. Names of 2 or 3
//     characters (问题, 资源, 宣贯) are left out: one character off, 问答 or
//     资料 are other words, not typos.
//
// A word near the default type (项目合作, protect) is not asked about:
// taken as a topic it opens that type's form all the same. Otherwise a
// false alarm costs one message, which says how to give the word as the
// topic instead; a missed typo costs a wrong collaboration. Words compare
// as type names do (bot.FoldName: full-width letters, hidden characters).
func (s *session) misspeltType(in input) (bot.TypeDef, bool) {
	w := bot.FoldName(in.arg(0))
	if len(in.args) != 1 || in.body != "" {
		return bot.TypeDef{}, false
	}
	latin := latinWord(w)
	if latin && len(w) < 5 {
		return bot.TypeDef{}, false
	}
	best, bestD := bot.TypeDef{}, 0
	for _, t := range s.e.Forms.Types() {
		if t.Name == bot.ProjectType {
			continue
		}
		for _, n := range append([]string{t.Name, t.Label.EN, t.Label.ZH}, t.Aliases...) {
			n = bot.FoldName(n)
			if d, ok := nearName(w, n, latin); ok && (bestD == 0 || d < bestD) {
				best, bestD = t, d
			}
		}
	}
	return best, bestD > 0
}

// nearName is the distance of a word from a type's name, and whether it
// is near enough to be a typo of it (misspeltType says how near).
func nearName(w, name string, latin bool) (int, bool) {
	if name == "" || latin != latinWord(name) {
		return 0, false
	}
	d := distance(w, name)
	if d == 0 {
		return 0, false
	}
	runes := utf8.RuneCountInString(name)
	if latin {
		return d, runes >= 4 && d == 1
	}
	return d, runes >= 4 && d == 1 && utf8.RuneCountInString(w) == runes
}

func (s *session) typeNames() string {
	var names []string
	for _, t := range s.e.Forms.Types() {
		names = append(names, t.Label.In(s.lang)+" ("+t.Name+")")
	}
	return joinList(s.lang, names)
}

// inferType is the type a pasted request's own fields belong to: a key
// that exists for one type only (资源类型, 问题描述, 同步内容) names it.
func (s *session) inferType(t *forms.Template, text string) string {
	for _, k := range forms.PasteKeys(text) {
		f, ok := t.Field(k)
		if !ok || f.When == nil || f.When.Field != "type" {
			continue
		}
		var in []string
		for _, v := range f.When.In {
			if v != "" {
				in = append(in, v)
			}
		}
		if len(in) == 1 {
			return in[0]
		}
	}
	return ""
}

// requestValuesFor opens the request form of the type named, inferred or
// the project, prefilled with the type.
func (s *session) newRequest(ctx context.Context, in input) error {
	values, skip := forms.Values{}, 0
	if t, ok := s.typeArg(in); ok {
		values["type"], skip = t.Name, 1
	} else if t, ok := s.misspeltType(in); ok {
		return s.offerType(ctx, bot.RefuseField(bot.CodeInvalid, "type", "refuse.type.did_you_mean", bot.Args{"type": bot.Truncate(in.arg(0), 30),
			"types": s.typeNames(), "suggestion": t.Label, "name": bot.Text{ZH: t.Label.ZH, EN: t.Name}}), t)
	}
	text := in.form(skip)
	if tpl, ok := s.e.Forms.Get("request"); ok && values["type"] == "" && len(s.e.Forms.Types()) > 0 {
		values["type"] = bot.ProjectType
		if inferred := s.inferType(tpl, text); inferred != "" {
			values["type"] = inferred
		}
	}
	return s.startForm(ctx, "request", "", values, text)
}

// newShape: "new" alone, or with a type, is a complete command.
func newShape(s *session, in input) bool {
	if len(in.args) == 0 {
		return true
	}
	_, ok := s.typeArg(in)
	return ok && len(in.args) == 1 && in.body == ""
}

// activeValues are a form's answers to the fields that apply: a pasted
// request may carry another type's lines.
func (s *session) activeValues(d *dialog) forms.Values {
	t := d.template(s)
	if t == nil {
		return d.Values
	}
	out := forms.Values{}
	for k, v := range d.Values {
		if f, ok := t.Field(k); ok && !t.Active(f, d.Values) {
			continue
		}
		out[k] = v
	}
	return out
}

// typedRequest fills the types' own fields of a request.
func (s *session) typedRequest(v forms.Values, req *bot.Request) {
	req.Problem, req.Impact, req.Content = v.Text("problem"), v.Text("impact"), v.Text("content")
	if v["confirm_by"] != "" {
		req.Due = v.Time("confirm_by", s.loc())
	}
	if v["resource_kind"] != "" || v["resource"] != "" || v["quantity"] != "" || v["start"] != "" || v["end"] != "" {
		req.Resource = &bot.Resource{Kind: v.Text("resource_kind"), What: v.Text("resource"), Quantity: v.Text("quantity"),
			From: v.Time("start", s.loc()), Until: v.Time("end", s.loc()), Boundaries: v.Text("boundaries")}
	}
}

// typedValues are a typed collaboration's own fields as form answers.
func (s *session) typedValues(c *bot.Collaboration, v forms.Values) {
	if c.Type != "" {
		v["type"] = c.Type
	} else if len(s.e.Forms.Types()) > 0 {
		v["type"] = bot.ProjectType
	}
	r := c.Request
	v["problem"], v["impact"], v["content"] = r.Problem, r.Impact, r.Content
	if res := r.Resource; res != nil {
		v["resource_kind"], v["resource"], v["quantity"], v["boundaries"] = res.Kind, res.What, res.Quantity, res.Boundaries
		v["start"] = res.From.In(s.loc()).Format(forms.TimeLayout)
		v["end"] = res.Until.In(s.loc()).Format(forms.TimeLayout)
		if c.Type != "" {
			delete(v, "due") // the loan's end stands for it
		}
	}
	if c.Has(bot.StepReadReceipt) && v["due"] != "" {
		v["confirm_by"] = v["due"]
		delete(v, "due")
	}
}

// typeOf is the definition of c's type as configured now; a project
// without a type has the empty one (the project's rules).
func (s *session) typeOf(c *bot.Collaboration) bot.TypeDef {
	if c.Type == "" {
		return bot.TypeDef{}
	}
	t, _ := s.e.Forms.Type(c.Type)
	return t
}

// checkPeriod refuses a loan's end that is not after its start, as soon
// as the second of the two is typed.
func (s *session) checkPeriod(d *dialog, key, canonical string) error {
	if d.Form == "request" && key == "confirm_by" {
		return bot.FutureDue(key, (forms.Values{key: canonical}).Time(key, s.loc()), s.now)
	}
	if d.Form != "request" || (key != "start" && key != "end") {
		return nil
	}
	v := forms.Values{"start": d.Values["start"], "end": d.Values["end"]}
	v[key] = canonical
	if key == "end" {
		if err := bot.FutureDue("end", v.Time("end", s.loc()), s.now); err != nil {
			return err
		}
	}
	if v["start"] == "" || v["end"] == "" {
		return nil
	}
	from, until := v.Time("start", s.loc()), v.Time("end", s.loc())
	if !until.After(from) {
		return bot.RefuseField(bot.CodeInvalid, key, "refuse.resource.end_before_start",
			bot.Args{"start": from.In(s.loc()).Format("2006-01-02"), "end": until.In(s.loc()).Format("2006-01-02")})
	}
	return nil
}

// checkApprovers refuses a contact typed for a department of a type with
// the approval step who is not its head: the head decides and is the
// contact the request names (bot.NewTyped), so the summary must not show
// someone else.
func (s *session) checkApprovers(d *dialog, key, canonical string) error {
	if d.Form != "request" || key != "contacts" {
		return nil
	}
	if kind, _ := s.e.Forms.Type(d.Values["type"]); !kind.Has(bot.StepApproval) {
		return nil
	}
	matched, err := s.dir.MatchContacts(key, d.Values.Departments("departments"), (forms.Values{key: canonical}).People(key))
	if err != nil {
		return nil // checkContacts says why; nothing is matched to judge
	}
	for _, a := range matched {
		if dept, ok := s.dir.Department(a.Department); ok && a.Contact != "" && dept.Head != "" && dept.Head != a.Contact {
			return bot.RefuseField(bot.CodeInvalid, key, "refuse.contact.head_decides",
				bot.Args{"department": dept.Name, "head": bot.Who(dept.Head), "person": bot.Who(a.Contact)})
		}
	}
	return nil
}

// cmdReturn is 归还: a lent resource is back, or its use has ended.
func cmdReturn(ctx context.Context, s *session, in input) error {
	ref, at := refArg(in, bot.KindCollab)
	note := strings.TrimSpace(strings.Join(in.args[min(at+1, len(in.args)):], " ") + "\n" + in.body)
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.ReturnResource(s.actor, note, s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.type.returned", words.Args{"ref": c.ID, "topic": c.Request.Topic})
	return nil
}

// cmdSolve is 解决: the root cause and fix of a problem, as a form.
func cmdSolve(ctx context.Context, s *session, in input) error {
	ref, at := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error { return c.Resolve(s.actor, "?", "?", s.now) }); err != nil {
		return err
	}
	return s.startForm(ctx, "resolution", c.ID.String(), nil, in.form(at+1))
}

func commitResolution(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error { return c.Resolve(s.actor, v.Text("cause"), v.Text("fix"), s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.type.resolved", words.Args{"ref": c.ID, "topic": c.Request.Topic})
	return nil
}

// cmdRead is 已阅: a department confirms it read and understood, with
// its questions after the reference if it has any.
func cmdRead(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	return confirmRead(ctx, s, c, in)
}

// refThenText is a collaboration's reference and, after a comma or a
// colon with no space, the words that follow it.
var refThenText = regexp.MustCompile(`(?i)^(COL-\d+)[,，、。.;；:：]+(.+)$`)

func confirmRead(ctx context.Context, s *session, c *bot.Collaboration, in input) error {
	if !c.Has(bot.StepReadReceipt) {
		return c.ConfirmRead(s.actor, "", "", s.now) // refuses: not an alignment
	}
	dept, err := s.departmentFor(c, in, func(a bot.Acknowledgement) bool { return a.Status == bot.AckPending })
	if err != nil {
		// A department that already confirmed hears so, not that it is
		// not among those waiting.
		for _, a := range c.Acks {
			if a.Status == bot.AckAccepted && c.SpeaksFor(s.actor, a.Department) {
				return c.ConfirmRead(s.actor, a.Department, "", s.now)
			}
		}
		return err
	}
	// The leading words are the command's: the reference, the department,
	// a read word ("已阅，无问题" too). An acknowledgement's decline or
	// request for details is no reading: it would be recorded as read
	// with the decision word as the question.
	rest := in.args
	if len(rest) > 0 { // "已阅 COL-1，酒店协议价如何申请?": the reference runs into the question
		if m := refThenText.FindStringSubmatch(rest[0]); m != nil {
			rest = append([]string{m[1], m[2]}, rest[1:]...)
		}
	}
	for len(rest) > 0 {
		a := strings.TrimRight(rest[0], ",，、。.;；:：") // "read COL-1, no questions"
		if st, err := bot.ParseAckStatus(a); err == nil && st != bot.AckAccepted {
			return bot.Refuse(bot.CodeInvalid, "refuse.type.read_no_decision", bot.Args{"ref": c.ID.String()})
		}
		if _, isDept := s.dir.Department(a); !isDept && !isRef(a, bot.KindCollab) && !isReadWord(a) && !isAcceptWord(a) {
			if after, ok := cutReadWord(a); ok {
				rest = append([]string{after}, rest[1:]...)
			}
			break
		}
		rest = rest[1:]
	}
	questions := strings.TrimSpace(strings.Join(rest, " ") + "\n" + in.body)
	if isNoQuestion(questions) {
		questions = ""
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.ConfirmRead(s.actor, dept, questions, s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.type.read", words.Args{"ref": c.ID, "department": dept})
	if c.Status == bot.StatusArchived {
		s.sayKey("reply.type.all_read", words.Args{"ref": c.ID})
	}
	return nil
}

// readWords are the words of "确认 COL-3 已阅" that are not questions.
var readWords = []string{"read", "已阅", "已读", "收到", "understood", "ok", "明白"}

func isReadWord(a string) bool {
	for _, w := range readWords {
		if strings.EqualFold(a, w) {
			return true
		}
	}
	return false
}

func isAcceptWord(a string) bool {
	st, err := bot.ParseAckStatus(a)
	return err == nil && st == bot.AckAccepted
}

// readPunct is what may follow a read word in "已阅，无问题" / "read, no questions".
const readPunct = ",，.。;；:：!！、"

// cutReadWord splits "已阅，…" into what follows the read word.
func cutReadWord(a string) (string, bool) {
	for _, w := range readWords {
		if len(a) <= len(w) || !strings.EqualFold(a[:len(w)], w) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(a[len(w):]); strings.ContainsRune(readPunct, r) {
			return strings.TrimLeft(a[len(w):], readPunct+" "), true
		}
	}
	return "", false
}

// noQuestions say there is no question ("无问题", "no questions").
var noQuestions = []string{"无问题", "没有问题", "无疑问", "没有疑问", "无", "没有", "no questions", "no question", "none", "no"}

func isNoQuestion(q string) bool {
	q = strings.TrimSpace(strings.Trim(strings.TrimSpace(q), readPunct))
	for _, w := range noQuestions {
		if strings.EqualFold(q, w) {
			return true
		}
	}
	return q == ""
}

// needing refuses a command about a collaboration whose type lacks step
// (tasks for a loan, a delivery for an alignment) before it opens a form.
func needing(step string, run func(ctx context.Context, s *session, in input) error) func(ctx context.Context, s *session, in input) error {
	return func(ctx context.Context, s *session, in input) error {
		// Only a collaboration's identifier: "任务 T-3 完成" names a task,
		// and a mistyped reference is refused by the command itself.
		if ref, _ := refArg(in, bot.KindCollab); isRef(ref, bot.KindCollab) {
			c, err := s.readable(ctx, ref)
			if err != nil {
				return err
			}
			if !c.Has(step) {
				return bot.Refuse(bot.CodeWrongState, "refuse.type.no_step", bot.Args{"ref": c.ID.String(), "step": bot.Msg{Key: "refuse.step." + step}})
			}
		}
		return run(ctx, s, in)
	}
}

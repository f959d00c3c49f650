package record

import (
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The record of the collaboration types' own steps (bot/types.go), in
// the seeds' words: a resource request's what, how much, period,
// boundaries, approval and return (资源协调申请); a problem's first
// response, root cause and fix (问题协同解决); an alignment's read receipts
// (信息同步对齐).

// Loan is a resource request's resource and what became of it.
type Loan struct {
	Kind       string    `json:"kind"`
	What       string    `json:"what"`
	Quantity   string    `json:"quantity"`
	From       time.Time `json:"from"`
	Until      time.Time `json:"until"`
	Boundaries string    `json:"boundaries,omitempty"`
	// Approval is the lending head's answer: an acknowledgement status.
	Approval   string    `json:"approval"`
	ApprovedBy string    `json:"approved_by,omitempty"`
	ApprovedAt time.Time `json:"approved_at,omitzero"`
	ReturnedBy string    `json:"returned_by,omitempty"`
	ReturnedAt time.Time `json:"returned_at,omitzero"`
	ReturnNote string    `json:"return_note,omitempty"`
}

// Problem is a problem's report, first response and resolution.
type Problem struct {
	Description     string    `json:"description"`
	Impact          string    `json:"impact,omitempty"`
	FirstResponseBy string    `json:"first_response_by,omitempty"`
	FirstResponseAt time.Time `json:"first_response_at,omitzero"`
	Cause           string    `json:"root_cause,omitempty"`
	Fix             string    `json:"fix,omitempty"`
	ResolvedBy      string    `json:"resolved_by,omitempty"`
	ResolvedAt      time.Time `json:"resolved_at,omitzero"`
}

// Receipt is one department's read receipt of an alignment.
type Receipt struct {
	Department string    `json:"department"`
	Contact    string    `json:"contact"`
	Confirmed  bool      `json:"confirmed"`
	By         string    `json:"by,omitempty"`
	At         time.Time `json:"at,omitzero"`
	Questions  string    `json:"questions,omitempty"`
}

// typed fills the type's parts of the sheet.
func (s *Sheet) typed(c *bot.Collaboration, p people, at func(time.Time) time.Time) {
	s.Type = c.TypeName()
	r := c.Request
	s.Content = r.Content
	if res := r.Resource; res != nil {
		l := &Loan{Kind: res.Kind, What: res.What, Quantity: res.Quantity, From: at(res.From), Until: at(res.Until),
			Boundaries: res.Boundaries, Approval: string(bot.AckPending)}
		for _, a := range c.Acks {
			l.Approval, l.ApprovedBy, l.ApprovedAt = string(a.Status), p.id(a.By), at(a.At)
			if a.Status != bot.AckAccepted {
				break // a loan is approved when every lender approved
			}
		}
		if rt := c.Returned; rt != nil {
			l.ReturnedBy, l.ReturnedAt, l.ReturnNote = p.id(rt.By), at(rt.At), rt.Note
		}
		s.Loan = l
	}
	if c.Has(bot.StepResolution) {
		pr := &Problem{Description: r.Problem, Impact: r.Impact}
		for _, a := range c.Acks {
			if a.Status != bot.AckPending && (pr.FirstResponseAt.IsZero() || a.At.Before(pr.FirstResponseAt)) {
				pr.FirstResponseBy, pr.FirstResponseAt = p.id(a.By), at(a.At)
			}
		}
		if rs := c.Resolution; rs != nil {
			pr.Cause, pr.Fix, pr.ResolvedBy, pr.ResolvedAt = rs.Cause, rs.Fix, p.id(rs.By), at(rs.At)
		}
		s.Problem = pr
	}
	if c.Has(bot.StepReadReceipt) {
		s.Receipts = []Receipt{}
		for _, a := range c.Acks {
			s.Receipts = append(s.Receipts, Receipt{Department: a.Department, Contact: p.id(a.Contact),
				Confirmed: a.Status == bot.AckAccepted, By: p.id(a.By), At: at(a.At), Questions: a.Question})
		}
		// A reader's questions are not a department's "needs information":
		// they are in the receipts.
		for i := range s.Departments {
			s.Departments[i].Question = ""
		}
	}
}

// TypeLabel names a collaboration type for people: the built-in ones
// from the catalogue, one a deployment added by its name.
func TypeLabel(name string, lang bot.Lang) string { return typeLabel(name, lang) }

func typeLabel(name string, lang bot.Lang) string {
	if key := "record.type." + name; words.Has(lang, key) {
		return words.Get(lang, key, nil)
	}
	return name
}

var tl = struct {
	Sec, Type, Content, Kind, What, Quantity, Period, Boundaries, Approval, Returned, NotReturned bot.Text
	Problem, Impact, FirstResponse, Cause, Fix, Resolved, Receipts, Confirmed, Unconfirmed        bot.Text
	Questions                                                                                     bot.Text
}{
	Sec: words.Text("record.typed.sec", nil), Type: words.Text("record.typed.type", nil),
	Content: words.Text("record.typed.content", nil), Kind: words.Text("record.typed.kind", nil),
	What: words.Text("record.typed.what", nil), Quantity: words.Text("record.typed.quantity", nil),
	Period: words.Text("record.typed.period", nil), Boundaries: words.Text("record.typed.boundaries", nil),
	Approval: words.Text("record.typed.approval", nil), Returned: words.Text("record.typed.returned", nil),
	NotReturned: words.Text("record.typed.not_returned", nil), Problem: words.Text("record.typed.problem", nil),
	Impact: words.Text("record.typed.impact", nil), FirstResponse: words.Text("record.typed.first_response", nil),
	Cause: words.Text("record.typed.cause", nil), Fix: words.Text("record.typed.fix", nil),
	Resolved: words.Text("record.typed.resolved", nil), Receipts: words.Text("record.typed.receipts", nil),
	Confirmed: words.Text("record.typed.confirmed", nil), Unconfirmed: words.Text("record.typed.unconfirmed", nil),
	Questions: words.Text("record.typed.questions", nil),
}

// typedMarkdown is the section of a type other than the project (whose
// sheet is the one it always was).
func (m *md) typed() {
	s := m.s
	if s.Type == "" || s.Type == bot.ProjectType {
		return
	}
	m.printf("\n## %s\n\n", m.t(tl.Sec))
	m.field("", tl.Type, typeLabel(s.Type, m.lang))
	m.field("", tl.Content, s.Content)
	if l := s.Loan; l != nil {
		m.field("", tl.Kind, resourceKindLabel(l.Kind, m.lang))
		m.field("", tl.What, l.What)
		m.field("", tl.Quantity, l.Quantity)
		m.field("", tl.Period, dateOf(l.From)+" — "+dateOf(l.Until))
		m.field("", tl.Boundaries, l.Boundaries)
		approval := bot.AckStatus(l.Approval).Label(m.lang)
		if l.ApprovedBy != "" {
			approval += " · " + m.name(l.ApprovedBy) + " · " + m.when(l.ApprovedAt)
		}
		m.field("", tl.Approval, approval)
		if l.ReturnedAt.IsZero() {
			m.field("", tl.Returned, m.t(tl.NotReturned))
		} else {
			m.field("", tl.Returned, joinNonEmpty(" · ", m.name(l.ReturnedBy), m.when(l.ReturnedAt), l.ReturnNote))
		}
	}
	if pr := s.Problem; pr != nil {
		m.field("", tl.Problem, pr.Description)
		m.field("", tl.Impact, pr.Impact)
		if pr.FirstResponseBy != "" {
			m.field("", tl.FirstResponse, m.name(pr.FirstResponseBy)+" · "+m.when(pr.FirstResponseAt))
		}
		m.field("", tl.Cause, pr.Cause)
		m.field("", tl.Fix, pr.Fix)
		if pr.ResolvedBy != "" {
			m.field("", tl.Resolved, m.name(pr.ResolvedBy)+" · "+m.when(pr.ResolvedAt))
		}
	}
	if s.Receipts != nil {
		m.printf("- **%s**%s\n", m.t(tl.Receipts), colon(m.lang))
		for _, r := range s.Receipts {
			if !r.Confirmed {
				m.printf("  - %s / %s · %s\n", inline(r.Department), m.name(r.Contact), m.t(tl.Unconfirmed))
				continue
			}
			m.printf("  - %s / %s · %s · %s\n", inline(r.Department), m.name(r.By), m.t(tl.Confirmed), m.when(r.At))
			if r.Questions != "" {
				m.field("    ", tl.Questions, r.Questions)
			}
		}
	}
}

// typed is the type's section of the CSV, after the basic information as
// in the Markdown sheet and with the same fields: one row each, the
// collaboration's id as the item, a read receipt's department as its
// item (as the acknowledgements have). A project has none: its sheet is
// the one it always was.
func (c *sheetCSV) typed() {
	s := c.s
	if s.Type == "" || s.Type == bot.ProjectType {
		return
	}
	sec, id := tl.Sec, s.ID
	c.add(sec, id, tl.Type, typeLabel(s.Type, c.lang))
	c.add(sec, id, tl.Content, s.Content)
	if l := s.Loan; l != nil {
		c.add(sec, id, tl.Kind, resourceKindLabel(l.Kind, c.lang))
		c.add(sec, id, tl.What, l.What)
		c.add(sec, id, tl.Quantity, l.Quantity)
		c.add(sec, id, tl.Period, dateOf(l.From)+" — "+dateOf(l.Until))
		c.add(sec, id, tl.Boundaries, l.Boundaries)
		approval := bot.AckStatus(l.Approval).Label(c.lang)
		if l.ApprovedBy != "" {
			approval += " · " + c.name(l.ApprovedBy) + " · " + when(l.ApprovedAt)
		}
		c.add(sec, id, tl.Approval, approval)
		returned := tl.NotReturned.In(c.lang)
		if !l.ReturnedAt.IsZero() {
			returned = joinNonEmpty(" · ", c.name(l.ReturnedBy), when(l.ReturnedAt), l.ReturnNote)
		}
		c.add(sec, id, tl.Returned, returned)
	}
	if pr := s.Problem; pr != nil {
		c.add(sec, id, tl.Problem, pr.Description)
		c.add(sec, id, tl.Impact, pr.Impact)
		if pr.FirstResponseBy != "" {
			c.add(sec, id, tl.FirstResponse, c.name(pr.FirstResponseBy)+" · "+when(pr.FirstResponseAt))
		}
		c.add(sec, id, tl.Cause, pr.Cause)
		c.add(sec, id, tl.Fix, pr.Fix)
		if pr.ResolvedBy != "" {
			c.add(sec, id, tl.Resolved, c.name(pr.ResolvedBy)+" · "+when(pr.ResolvedAt))
		}
	}
	for _, r := range s.Receipts {
		if !r.Confirmed {
			c.add(sec, r.Department, tl.Receipts, c.name(r.Contact)+" · "+tl.Unconfirmed.In(c.lang))
			continue
		}
		c.add(sec, r.Department, tl.Receipts, c.name(r.By)+" · "+tl.Confirmed.In(c.lang)+" · "+when(r.At))
		c.add(sec, r.Department, tl.Questions, r.Questions)
	}
}

func resourceKindLabel(kind string, lang bot.Lang) string {
	if key := "record.resource_kind." + kind; words.Has(lang, key) {
		return words.Get(lang, key, nil)
	}
	return kind
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02")
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// typeKinds are the timer kinds of the types' steps (scheduler/types.go).
var typeKinds = []string{"return_reminder", "return_escalation", "read_reminder", "read_escalation", "read_summary_due",
	"resolution_reminder", "resolution_escalation"}

func init() {
	for k, l := range map[string]bot.Text{"problem": tl.Problem, "impact": tl.Impact, "content": tl.Content, "resource_kind": tl.Kind,
		"resource": tl.What, "quantity": tl.Quantity, "start": words.Text("field.loan_start", nil),
		"end": words.Text("field.loan_end", nil), "boundaries": tl.Boundaries} {
		if _, ok := changeLabels[k]; !ok {
			changeLabels[k] = l
		}
	}
	// The types' timers are counted on the record's reminder line of their own.
	families = append(families, reminderFamily{"types", "record.family.types",
		typeKinds})
	for _, k := range typeKinds {
		kindWords[k] = "record.reminder_word." + k
		reminders[k] = "record.reminder." + k
	}
	for _, a := range []string{"resource_returned", "problem_resolved", "read_confirmed", "archived"} {
		if _, ok := actions[a]; !ok {
			actions[a] = "record.action." + a
		}
	}
}

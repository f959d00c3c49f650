package record

import (
	"strconv"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The optional steps of seed 003 in the record: the goal consensus
// letter with each head's signature (合作目标共识函 签署) and each
// department's implementation plan with its decisions (实施方案 审批).

// Consensus is the letter as agreed and who signed it.
type Consensus struct {
	Goal      string    `json:"goal"`
	Scope     string    `json:"scope,omitempty"`
	Due       time.Time `json:"due"`
	OpenedAt  time.Time `json:"opened_at"`
	SignedAt  time.Time `json:"signed_at,omitzero"`
	Withdrawn bool      `json:"withdrawn,omitempty"`
	Signoffs  []Signoff `json:"signoffs"`
}

// Signoff is one department head's answer.
type Signoff struct {
	Department string    `json:"department"`
	Head       string    `json:"head"`
	Scope      string    `json:"scope,omitempty"` // as the department accepted it
	Status     string    `json:"status"`          // pending, signed, refused
	AskedAt    time.Time `json:"asked_at"`
	By         string    `json:"by,omitempty"`
	At         time.Time `json:"at,omitzero"`
	Remarks    string    `json:"remarks,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// Plan is one department's implementation plan and its decisions.
type Plan struct {
	Department  string         `json:"department"`
	Contact     string         `json:"contact"`
	Status      string         `json:"status"` // awaiting, submitted, approved, returned
	Version     int            `json:"version"`
	Method      string         `json:"method,omitempty"`
	Contingency string         `json:"contingency,omitempty"`
	Standard    string         `json:"standard,omitempty"`
	SubmittedBy string         `json:"submitted_by,omitempty"`
	SubmittedAt time.Time      `json:"submitted_at,omitzero"`
	Decisions   []PlanDecision `json:"decisions"`
	// Withdrawn: the step was switched off before this plan was
	// approved; what was submitted stays on record.
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// PlanDecision is one approval or return, with who, when and why.
type PlanDecision struct {
	Version  int       `json:"version"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Result   string    `json:"result"` // approved, returned
	Comments string    `json:"comments,omitempty"`
}

func init() {
	for _, a := range []string{"signoff_requested", "signoff_signed", "signoff_refused", "consensus_signed", "signoff_renewed",
		"signoff_switched", "plans_requested", "plan_submitted", "plan_approved", "plan_returned", "plans_approved",
		"plan_approval_switched", "plan_approver_set", "signoff_switched_on", "signoff_switched_off",
		"plan_approval_switched_on", "plan_approval_switched_off"} {
		actions[a] = "record.action." + a
	}
	kinds := []string{"signoff_reminder", "signoff_escalation", "plan_submission_reminder", "plan_submission_escalation",
		"plan_decision_reminder", "plan_decision_escalation"}
	for _, k := range kinds {
		reminders[k] = "record.reminder." + k
		kindWords[k] = "record.reminder_word." + k
	}
	// Right after the acknowledgement: the steps follow it.
	families = append(families[:1], append([]reminderFamily{{"steps", "record.family.steps", kinds}}, families[1:]...)...)
}

// steps fills the sheet's consensus and plans.
func steps(s *Sheet, c *bot.Collaboration, p people, at func(time.Time) time.Time) {
	if k := c.Consensus; k != nil && len(k.Signoffs) > 0 {
		out := &Consensus{Goal: k.Goal, Scope: k.Scope, Due: at(k.Due), OpenedAt: at(k.OpenedAt), SignedAt: at(k.SignedAt),
			Withdrawn: k.Withdrawn, Signoffs: []Signoff{}}
		for _, x := range k.Signoffs {
			out.Signoffs = append(out.Signoffs, Signoff{Department: x.Department, Head: p.id(x.Head), Scope: x.Scope,
				Status: string(x.Status), AskedAt: at(x.AskedAt), By: p.id(x.By), At: at(x.At), Remarks: x.Remarks, Reason: x.Reason})
		}
		s.Consensus = out
	}
	if pa := c.PlanApproval; pa != nil {
		for _, pl := range pa.Plans {
			out := Plan{Department: pl.Department, Contact: p.id(pl.Contact), Status: string(pl.Status), Version: pl.Version,
				Method: pl.Method, Contingency: pl.Contingency, Standard: pl.Standard, SubmittedBy: p.id(pl.SubmittedBy),
				SubmittedAt: at(pl.SubmittedAt), Decisions: []PlanDecision{}, Withdrawn: pa.Withdrawn && pl.Status != bot.PlanApproved}
			for _, d := range pl.Decisions {
				r := "returned"
				if d.Approved {
					r = "approved"
				}
				out.Decisions = append(out.Decisions, PlanDecision{Version: d.Version, By: p.id(d.By), At: at(d.At), Result: r, Comments: d.Comments})
			}
			s.Plans = append(s.Plans, out)
		}
	}
}

func signoffEmoji(status string) string {
	switch status {
	case "signed":
		return "✅"
	case "refused":
		return "❌"
	case "withdrawn":
		return "↩️"
	}
	return "⏳"
}

// signoffStatus is how a signature reads: one still pending when the
// step was switched off is withdrawn, not waiting (JSON keeps the status
// and says withdrawn on the letter).
func (k *Consensus) signoffStatus(x Signoff) string {
	if k.Withdrawn && x.Status == "pending" {
		return "withdrawn"
	}
	return x.Status
}

// planStatus is a plan's status, with "withdrawn" after it when the step
// was switched off before it was approved.
func planStatus(pl Plan) bot.Text {
	st := words.Text("plan.status."+pl.Status, nil)
	if !pl.Withdrawn {
		return st
	}
	w := words.Text("record.steps.withdrawn", nil)
	return bot.Text{ZH: st.ZH + " · " + w.ZH, EN: st.EN + " · " + w.EN}
}

// stepsMarkdown writes the consensus and the plans, when the
// collaboration ran those steps.
func (m *md) steps() {
	if k := m.s.Consensus; k != nil {
		m.section(words.Text("record.steps.sec_consensus", nil))
		m.field("", label.Goal, k.Goal)
		m.field("", label.Scope, k.Scope)
		m.field("", label.Due, m.when(k.Due))
		for _, x := range k.Signoffs {
			st := k.signoffStatus(x)
			m.printf("- %s %s", signoffEmoji(st), m.t(words.Text("record.steps.signoff_row", words.Args{
				"department": inline(x.Department), "head": m.name(x.Head), "status": words.Text("signoff.status."+st, nil)})))
			if !x.At.IsZero() {
				m.printf(" · %s %s", m.name(x.By), m.when(x.At))
			}
			m.printf("\n")
			m.field("  ", label.AckScope, x.Scope)
			m.field("  ", words.Text("field.signoff_remarks", nil), x.Remarks)
			m.field("  ", words.Text("field.signoff_reason", nil), x.Reason)
		}
	}
	if len(m.s.Plans) > 0 {
		m.section(words.Text("record.steps.sec_plans", nil))
		for _, pl := range m.s.Plans {
			row := "record.steps.plan_row"
			if pl.Version == 0 {
				row = "record.steps.plan_row_new" // nothing submitted: no "version 0"
			}
			m.printf("- **%s**\n", m.t(words.Text(row, words.Args{"department": inline(pl.Department),
				"status": planStatus(pl), "version": pl.Version})))
			m.field("  ", words.Text("field.plan_method", nil), pl.Method)
			m.field("  ", words.Text("field.plan_contingency", nil), pl.Contingency)
			m.field("  ", words.Text("field.plan_standard", nil), pl.Standard)
			if !pl.SubmittedAt.IsZero() {
				m.field("  ", words.Text("record.steps.submitted", nil), m.name(pl.SubmittedBy)+" "+m.when(pl.SubmittedAt))
			}
			for _, d := range pl.Decisions {
				line := m.t(words.Text("record.steps.decision", words.Args{"verdict": words.Text("record.steps."+d.Result, nil),
					"by": m.name(d.By), "at": m.when(d.At), "version": strconv.Itoa(d.Version)}))
				m.printf("  - %s", line)
				if d.Comments != "" {
					m.printf("%s%s", colon(m.lang), inline(d.Comments))
				}
				m.printf("\n")
			}
		}
	}
}

// steps is the consensus and the plans in the CSV, after the
// acknowledgements as in the Markdown sheet: the letter's rows under the
// collaboration's id, a signature or a plan under its department (as the
// acknowledgements are), the decisions on a plan one a line in one cell.
func (c *sheetCSV) steps() {
	if k := c.s.Consensus; k != nil {
		sec, id := words.Text("record.steps.csv_consensus", nil), c.s.ID
		c.add(sec, id, label.Goal, k.Goal)
		c.add(sec, id, label.Scope, k.Scope)
		c.add(sec, id, label.Due, when(k.Due))
		c.add(sec, id, words.Text("record.steps.signed_at", nil), when(k.SignedAt))
		for _, x := range k.Signoffs {
			by := ""
			if x.By != "" && x.By != x.Head {
				by = c.name(x.By) // signed for the head
			}
			c.add(sec, x.Department, words.Text("record.steps.csv_signoff", nil), joinNonEmpty(" · ", c.name(x.Head),
				words.Text("signoff.status."+k.signoffStatus(x), nil).In(c.lang), by, when(x.At)))
			c.add(sec, x.Department, label.AckScope, x.Scope)
			c.add(sec, x.Department, words.Text("field.signoff_remarks", nil), x.Remarks)
			c.add(sec, x.Department, words.Text("field.signoff_reason", nil), x.Reason)
		}
	}
	sec := words.Text("record.steps.csv_plans", nil)
	for _, pl := range c.s.Plans {
		version := "" // none before the first submission
		if pl.Version > 0 {
			version = words.Get(c.lang, "record.steps.version", words.Args{"version": pl.Version})
		}
		c.add(sec, pl.Department, words.Text("record.steps.csv_plan", nil), joinNonEmpty(" · ",
			planStatus(pl).In(c.lang), version))
		c.add(sec, pl.Department, words.Text("field.plan_method", nil), pl.Method)
		c.add(sec, pl.Department, words.Text("field.plan_contingency", nil), pl.Contingency)
		c.add(sec, pl.Department, words.Text("field.plan_standard", nil), pl.Standard)
		if !pl.SubmittedAt.IsZero() {
			c.add(sec, pl.Department, words.Text("record.steps.submitted", nil), c.name(pl.SubmittedBy)+" · "+when(pl.SubmittedAt))
		}
		var decisions []string
		for _, d := range pl.Decisions {
			line := words.Get(c.lang, "record.steps.decision", words.Args{"verdict": words.Text("record.steps."+d.Result, nil),
				"by": c.name(d.By), "at": when(d.At), "version": strconv.Itoa(d.Version)})
			if d.Comments != "" {
				line += colon(c.lang) + d.Comments
			}
			decisions = append(decisions, line)
		}
		c.add(sec, pl.Department, words.Text("record.steps.csv_decisions", nil), lines(decisions))
	}
}

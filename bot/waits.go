package bot

import (
	"slices"
	"time"
)

// WaitKind is what a person is waited for in a collaboration.
type WaitKind string

// What may wait for a person, in the order "what waits for me" lists it.
const (
	WaitRework           WaitKind = "rework"            // the request was sent back: edit and resubmit
	WaitReview           WaitKind = "review"            // the request waits for the head's first review
	WaitAck              WaitKind = "ack"               // a department's acknowledgement
	WaitQuestion         WaitKind = "question"          // a department asked for more information
	WaitDeclined         WaitKind = "declined"          // a department declined: drop it or find another
	WaitMinutes          WaitKind = "minutes"           // minutes to confirm
	WaitDueChange        WaitKind = "due_change"        // a request to move a task's date
	WaitTaskConfirmation WaitKind = "task_confirmation" // a head confirms a task before its owner hears of it
	WaitRisk             WaitKind = "risk"              // an issue or risk the person owns, to respond to
	WaitRedeliver        WaitKind = "redeliver"         // a failed acceptance: rework and deliver again
	WaitAcceptance       WaitKind = "acceptance"        // deliverables to accept
	WaitRetrospective    WaitKind = "retrospective"     // acceptance passed: the coordinator writes the retrospective
	WaitArchive          WaitKind = "archive"           // the retrospective is shared: the coordinator archives
	WaitSignoff          WaitKind = "signoff"           // a head signs the goal consensus (共识函)
	WaitSignoffRefused   WaitKind = "signoff_refused"   // a head refused to sign: settle it and ask again
	WaitPlan             WaitKind = "plan"              // a department's plan to submit, or to revise after a return
	WaitPlanDecision     WaitKind = "plan_decision"     // a submitted plan to approve or return
)

// Wait is one thing a collaboration waits for a person to do.
type Wait struct {
	Kind       WaitKind
	Department string // ack, question, declined
	Question   string // question
	Reason     string // declined
	Meeting    string // minutes: the meeting or occurrence (Meeting.Ref)
	Task       TaskID
	Title      string    // the task's, for a date change or a confirmation
	Owner      PersonID  // the task's, for a confirmation
	Due        time.Time // the date asked for
	Returned   bool      // plan: it was returned, to revise
	Risk       RiskID    // risk
}

// WaitsFor lists what the collaboration waits for a to do. It is the one
// rule behind chat's bare `确认`, the web board's Mine page and an app's
// home page; each only words it. A closed collaboration or a draft waits
// for nobody.
func (c *Collaboration) WaitsFor(a Actor) []Wait {
	if c.Status.Closed() || c.Status == StatusDraft {
		return nil
	}
	me := a.Person
	owns := c.Requester == me || c.Coordinator == me
	var out []Wait
	if c.Status == StatusRejected && owns {
		out = append(out, Wait{Kind: WaitRework})
	}
	if c.Status == StatusInReview && a.Heads(c.RequestingDept) {
		out = append(out, Wait{Kind: WaitReview})
	}
	for _, ack := range c.Acks {
		switch {
		case ack.Status == AckPending && c.Decides(a, ack.Department):
			out = append(out, Wait{Kind: WaitAck, Department: ack.Department})
		case ack.Status == AckNeedsInfo && owns:
			out = append(out, Wait{Kind: WaitQuestion, Department: ack.Department, Question: ack.Question})
		case ack.Status == AckDeclined && owns:
			out = append(out, Wait{Kind: WaitDeclined, Department: ack.Department, Reason: ack.Reason})
		}
	}
	for _, m := range c.Held() {
		if m.Minutes != nil && !m.Cancelled && slices.Contains(m.Unconfirmed(), me) {
			out = append(out, Wait{Kind: WaitMinutes, Meeting: m.Ref()})
		}
	}
	for _, t := range c.Tasks {
		if t.DueRequest != nil && t.Open() && c.CanReplan(a, t) {
			out = append(out, Wait{Kind: WaitDueChange, Task: t.ID, Title: t.Title, Due: t.DueRequest.Due})
		}
		if t.Awaiting() && t.Confirmation != nil && (t.Confirmation.Head == me || a.Heads(t.Department)) {
			out = append(out, Wait{Kind: WaitTaskConfirmation, Task: t.ID, Title: t.Title, Owner: t.Owner})
		}
	}
	for _, r := range c.Risks {
		if r.Status == RiskOpen && r.Owner == me {
			out = append(out, Wait{Kind: WaitRisk, Risk: r.ID, Title: r.Description})
		}
	}
	out = append(out, c.stepWaits(a)...)
	if c.reworkWaits() && (c.Coordinator == me || c.Deliveries[len(c.Deliveries)-1].By == me) {
		out = append(out, Wait{Kind: WaitRedeliver, Due: c.Acceptances[len(c.Acceptances)-1].Due})
	}
	if c.Status == StatusAccepting && owns {
		out = append(out, Wait{Kind: WaitAcceptance})
	}
	if c.Status == StatusRetrospective && c.Coordinator == me {
		if c.Retrospective == nil {
			out = append(out, Wait{Kind: WaitRetrospective})
		} else {
			out = append(out, Wait{Kind: WaitArchive})
		}
	}
	return out
}

// reworkWaits reports whether the latest delivery failed acceptance and
// nothing was delivered since: its rework is still to be delivered.
func (c *Collaboration) reworkWaits() bool {
	n := len(c.Acceptances)
	return c.Status == StatusActive && n > 0 && c.Acceptances[n-1].Verdict == VerdictFail &&
		c.Acceptances[n-1].Delivery == len(c.Deliveries)
}

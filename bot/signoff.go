package bot

import (
	"strings"
	"time"
)

// The goal consensus letter (合作目标共识函, seed 003 步骤1): once every
// assisting department has accepted, each one's head signs what was
// agreed — the goal, the scope and the key dates — as the baseline of
// the collaboration. A head may sign with remarks, or refuse with a
// reason, which goes back to the coordinator to settle and ask again.

// SignoffStatus is where one department's signature stands.
type SignoffStatus string

const (
	SignoffPending SignoffStatus = "pending"
	SignoffSigned  SignoffStatus = "signed"
	SignoffRefused SignoffStatus = "refused"
)

// Consensus is the letter as the departments accepted it, and their
// signatures.
type Consensus struct {
	Goal     string    `json:"goal"`
	Scope    string    `json:"scope,omitempty"`
	Due      time.Time `json:"due"`
	OpenedAt time.Time `json:"opened_at"`
	// Withdrawn: the coordinator switched the step off before everyone
	// signed; nothing is chased any more.
	Withdrawn bool      `json:"withdrawn,omitempty"`
	SignedAt  time.Time `json:"signed_at,omitzero"` // when the last head signed
	Signoffs  []Signoff `json:"signoffs"`
}

// Signoff is one department head's signature.
type Signoff struct {
	Department string        `json:"department"`
	Head       PersonID      `json:"head"`            // who is asked to sign
	Scope      string        `json:"scope,omitempty"` // the scope the department accepted
	Status     SignoffStatus `json:"status"`
	AskedAt    time.Time     `json:"asked_at"` // the deadline counts from here
	By         PersonID      `json:"by,omitempty"`
	At         time.Time     `json:"at,omitzero"`
	Remarks    string        `json:"remarks,omitempty"` // 签署意见
	Reason     string        `json:"reason,omitempty"`  // 拒签原因
}

// Signed reports whether every department has signed.
func (k *Consensus) Signed() bool {
	if k == nil || len(k.Signoffs) == 0 {
		return false
	}
	for _, s := range k.Signoffs {
		if s.Status != SignoffSigned {
			return false
		}
	}
	return true
}

// Open reports whether the letter still waits for someone.
func (k *Consensus) Open() bool { return k != nil && !k.Withdrawn && !k.Signed() }

func (c *Collaboration) openSignoff(dir *Directory, actor PersonID, now time.Time) {
	k := &Consensus{Goal: c.Request.Goal, Scope: c.Request.Scope, Due: c.Request.Due, OpenedAt: now}
	for _, a := range c.Acks {
		head := a.Contact
		if d, ok := dir.Department(a.Department); ok && d.Head != "" {
			head = d.Head
		}
		if old := c.Consensus; old != nil {
			if s := old.signoff(a.Department); s != nil && s.Status == SignoffSigned {
				k.Signoffs = append(k.Signoffs, *s) // signed before the step was switched off and on
				continue
			}
		}
		s := Signoff{Department: a.Department, Head: head, Scope: a.Scope, Status: SignoffPending, AskedAt: now}
		if old := c.Consensus; old != nil {
			if o := old.signoff(a.Department); o != nil && o.Status == SignoffRefused {
				s.Reason = o.Reason // stays on record until they sign, as when asked again
			}
		}
		k.Signoffs = append(k.Signoffs, s)
	}
	if len(k.Signoffs) == 0 {
		return
	}
	c.Consensus = k
	c.record(now, actor, "signoff_requested", c.ID.String(), "")
	for _, s := range k.Signoffs {
		if s.Status == SignoffSigned {
			continue
		}
		c.notify(now, actor, "signoff_requested", s.Department, map[string]string{"department": s.Department, "head": string(s.Head)}, s.Head)
	}
}

func (k *Consensus) signoff(dept string) *Signoff {
	for i := range k.Signoffs {
		if k.Signoffs[i].Department == dept {
			return &k.Signoffs[i]
		}
	}
	return nil
}

// MaySign reports whether the actor signs for dept: its head, or the
// person asked when the department has none.
func (s Signoff) MaySign(a Actor) bool { return a.Person == s.Head || a.Heads(s.Department) }

// signing finds the signature the actor gives: for the department named,
// or the only one pending they may sign.
func (c *Collaboration) signing(actor Actor, dept string, now time.Time) (*Signoff, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	k := c.Consensus
	if !k.Open() {
		if s := k.answeredBy(actor, dept); s != nil {
			return nil, c.answered(s, now)
		}
		return nil, Refuse(CodeWrongState, "refuse.signoff.not_open", Args{"ref": c.ID.String()})
	}
	var open []string
	for _, s := range k.Signoffs {
		if s.Status == SignoffPending {
			open = append(open, s.Department)
		}
	}
	dept, err := departmentFor(dept, open, func(d string) bool { return k.signoff(d).MaySign(actor) })
	if err != nil {
		return nil, err
	}
	if dept == "" {
		// A head whose signature is given is the right person: what
		// she needs is when and how she answered, and the way on.
		if s := k.answeredBy(actor, ""); s != nil {
			return nil, c.answered(s, now)
		}
		return nil, forbidden("refuse.signoff.nothing_to_sign", Args{"ref": c.ID.String()})
	}
	s := k.signoff(dept)
	if s == nil {
		return nil, RefuseField(CodeUnknownDept, "department", "refuse.ack.not_assisting", Args{"department": dept, "ref": c.ID.String()})
	}
	if !s.MaySign(actor) {
		return nil, forbidden("refuse.signoff.only_head", Args{"department": dept, "head": Who(s.Head)})
	}
	if s.Status != SignoffPending {
		return nil, c.answered(s, now)
	}
	return s, nil
}

// answeredBy is the signature the actor may give that is given already
// (signed or refused), for dept or, when none is named, the first one.
func (k *Consensus) answeredBy(a Actor, dept string) *Signoff {
	if k == nil || k.Withdrawn {
		return nil
	}
	for i, s := range k.Signoffs {
		if s.Status != SignoffPending && s.MaySign(a) && (dept == "" || s.Department == dept) {
			return &k.Signoffs[i]
		}
	}
	return nil
}

// answered refuses a second answer to the consensus: it says who
// answered for the department, when and how, and what can still be done
// (a signature stands; a refusal waits for the coordinator to ask again).
func (c *Collaboration) answered(s *Signoff, now time.Time) error {
	args := Args{"department": s.Department, "ref": c.ID.String(), "at": stamp(s.At, now.Location()),
		"by": Who(s.By), "coordinator": Who(c.Coordinator)}
	if s.Status == SignoffRefused {
		args["reason"] = s.Reason
		return Refuse(CodeAlreadyDone, "refuse.signoff.already_refused", args)
	}
	if s.Remarks == "" {
		return Refuse(CodeAlreadyDone, "refuse.signoff.already_signed", args)
	}
	args["remarks"] = s.Remarks
	return Refuse(CodeAlreadyDone, "refuse.signoff.already_signed_remarks", args)
}

// Sign is a head signing the consensus for their department, with
// remarks if they have any. The last signature completes the letter.
func (c *Collaboration) Sign(actor Actor, dept, remarks string, now time.Time) (string, error) {
	s, err := c.signing(actor, dept, now)
	if err != nil {
		return "", err
	}
	if err := limit("remarks", remarks, "refuse.label.remarks"); err != nil {
		return "", err
	}
	s.Status, s.By, s.At, s.Remarks, s.Reason = SignoffSigned, actor.Person, now, strings.TrimSpace(remarks), ""
	c.record(now, actor.Person, "signoff_signed", s.Department, s.Remarks)
	c.notify(now, actor.Person, "signoff_signed", s.Department, map[string]string{"department": s.Department,
		"by": string(actor.Person), "remarks": s.Remarks}, c.Coordinator)
	if c.Consensus.Signed() {
		c.Consensus.SignedAt = now
		c.record(now, actor.Person, "consensus_signed", c.ID.String(), "")
		c.notify(now, actor.Person, "consensus_signed", c.ID.String(), nil, c.Requester, c.Coordinator)
		c.notifyGroup(now, "consensus_signed", c.ID.String(), nil)
	}
	return s.Department, nil
}

// RefuseSignoff is a head refusing to sign, with the reason; the
// coordinator settles it and asks again (RenewSignoff).
func (c *Collaboration) RefuseSignoff(actor Actor, dept, reason string, now time.Time) (string, error) {
	s, err := c.signing(actor, dept, now)
	if err != nil {
		return "", err
	}
	if err := required("reason", reason, "refuse.label.signoff_reason"); err != nil {
		return "", err
	}
	s.Status, s.By, s.At, s.Reason, s.Remarks = SignoffRefused, actor.Person, now, strings.TrimSpace(reason), ""
	c.record(now, actor.Person, "signoff_refused", s.Department, s.Reason)
	c.notify(now, actor.Person, "signoff_refused", s.Department, map[string]string{"department": s.Department,
		"by": string(actor.Person), "reason": s.Reason}, c.Coordinator, c.Requester)
	return s.Department, nil
}

// RenewSignoff is the coordinator asking the departments that refused
// to sign again, after settling their reasons; their deadline starts
// anew.
func (c *Collaboration) RenewSignoff(actor Actor, now time.Time) ([]string, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) {
		return nil, forbidden("refuse.signoff.only_coordinator_renews", Args{"coordinator": Who(c.Coordinator)})
	}
	k := c.Consensus
	if !k.Open() {
		return nil, Refuse(CodeWrongState, "refuse.signoff.not_open", Args{"ref": c.ID.String()})
	}
	var asked []string
	for i := range k.Signoffs {
		s := &k.Signoffs[i]
		if s.Status != SignoffRefused {
			continue
		}
		// The reason stays on record until they sign; who refused and when is in the timeline.
		s.Status, s.AskedAt, s.By, s.At = SignoffPending, now, "", time.Time{}
		asked = append(asked, s.Department)
		c.notify(now, actor.Person, "signoff_requested", s.Department, map[string]string{"department": s.Department,
			"head": string(s.Head), "reason": s.Reason}, s.Head)
	}
	if len(asked) == 0 {
		return nil, Refuse(CodeAlreadyDone, "refuse.signoff.none_refused", Args{"ref": c.ID.String()})
	}
	c.record(now, actor.Person, "signoff_renewed", c.ID.String(), joinNames(asked))
	return asked, nil
}

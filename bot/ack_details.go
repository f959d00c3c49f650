package bot

import (
	"strings"
	"time"
)

// AddAckDetails records the details of an acceptance given in one tap:
// the scope taken on, the resources needed and the risks seen, optional
// when accepting and added after. Only the answers given change; risks
// go into the register as on acceptance (ans.RiskID names the entry).
func (c *Collaboration) AddAckDetails(actor Actor, dept string, ans Answer, now time.Time) error {
	a, err := c.answering(actor, dept)
	if err != nil {
		return err
	}
	if a.Status != AckAccepted {
		return wrongState(c.Status, "refuse.ack.details_not_accepted", Args{"department": dept})
	}
	if err := firstError(
		limit("scope", ans.Scope, "refuse.label.scope"),
		limit("resources", ans.Resources, "refuse.label.resources"),
		limit("risks", ans.Risks, "refuse.label.risks"),
	); err != nil {
		return err
	}
	scope, resources, risks := strings.TrimSpace(ans.Scope), strings.TrimSpace(ans.Resources), strings.TrimSpace(ans.Risks)
	if scope+resources+risks == "" {
		return RefuseField(CodeRequired, "scope", "refuse.ack.details_empty", nil)
	}
	if risks != "" && ans.RiskID <= 0 {
		return Refuse(CodeInvalid, "refuse.ack.missing_risk_id", nil)
	}
	for _, f := range []struct {
		to  *string
		val string
	}{{&a.Scope, scope}, {&a.Resources, resources}, {&a.Risks, risks}} {
		if f.val != "" {
			*f.to = f.val
		}
	}
	c.record(now, actor.Person, "ack_details", dept, scope)
	// What a department now says it does or needs changes what the
	// requester can count on: they hear it.
	if scope != "" || resources != "" {
		c.notify(now, actor.Person, "ack_details_added", dept,
			map[string]string{"department": dept, "scope": scope, "resources": resources}, c.Requester, c.Coordinator)
	}
	if risks != "" {
		r := &Risk{ID: ans.RiskID, Description: risks, Source: "ack/" + dept,
			Severity: SeverityMedium, Department: dept, Owner: a.Contact, Status: RiskOpen,
			RaisedBy: actor.Person, RaisedAt: now}
		c.Risks = append(c.Risks, r)
		c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
		c.notify(now, actor.Person, "risk_raised_on_ack", r.ID.String(), map[string]string{"department": dept, "description": r.Description}, c.Coordinator, r.Owner)
	}
	return nil
}

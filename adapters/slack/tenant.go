package slack

import "context"

// admit reports whether an event belongs to the workspace this adapter
// serves: its team_id is the bot's team (from auth.test, or the
// configured one), and its enterprise id, where both sides have one, is
// the bot's organisation. A signed request proves only that it came from
// Slack for this app; an app installed in a second workspace receives
// that workspace's events with the same signature, and they must neither
// read nor change this one's collaborations. A refused event is logged
// and counted; the caller acknowledges it (so Slack does not retry) and
// does nothing else: nothing is stored and nothing answered.
func (a *Adapter) admit(ctx context.Context, self *identity, kind, team, enterprise string) bool {
	if sameTenant(self, team, enterprise) {
		return true
	}
	a.log.WarnContext(ctx, "slack event from another workspace refused", "kind", kind,
		"team", team, "enterprise", enterprise, "want_team", self.team)
	if a.opts.Foreign != nil {
		a.opts.Foreign()
	}
	return false
}

// sameTenant is admit's rule. A missing team_id is refused too: Slack
// always sends one (or, for an org-wide install on Enterprise Grid, at
// least the enterprise id, which must then be the bot's).
func sameTenant(self *identity, team, enterprise string) bool {
	if self == nil || self.team == "" {
		return false // the bot does not know its own team yet: nothing to compare with
	}
	if enterprise != "" && self.enterprise != "" && enterprise != self.enterprise {
		return false
	}
	if team != "" {
		return team == self.team
	}
	return enterprise != "" && enterprise == self.enterprise
}

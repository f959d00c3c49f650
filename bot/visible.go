package bot

// VisibleTo reports whether a person may read the collaboration outside
// its chats (the web board): the same people the rules let act in it —
// everyone with a role in it (requester, coordinator, contacts, task
// owners and collaborators, organisers and attendees), the heads and
// configured contacts of its departments, and leadership. A draft is its
// author's own until it is submitted.
func (c *Collaboration) VisibleTo(a Actor) bool {
	if c.Status == StatusDraft {
		return a.Person == c.Requester || a.Person == c.Coordinator
	}
	return c.involved(a)
}

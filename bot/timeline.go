package bot

import (
	"fmt"
	"time"
)

// TimelineEntry records who did what when (操作留痕). Every accepted action
// on a collaboration leaves one, committed with the change itself.
type TimelineEntry struct {
	Collab  CollabID  `json:"collab"`
	At      time.Time `json:"at"`
	Actor   PersonID  `json:"actor,omitempty"` // empty for the bot itself (reminders, escalations)
	Action  string    `json:"action"`          // stable verb: "submitted", "ack_declined", "task_added" …
	Subject string    `json:"subject,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// Notice is a notification a change causes, written to the outbox in the
// same transaction and sent later by the dispatcher. It names what
// happened, not how it looks: the engine renders it in the recipient's
// language and the adapter in its platform's format.
type Notice struct {
	// Key is unique per workspace; writing a notice whose key exists is a
	// no-op, which is what makes sending exactly-once.
	Key     string            `json:"key"`
	Collab  CollabID          `json:"collab"`
	To      PersonID          `json:"to,omitempty"`
	ToGroup bool              `json:"to_group,omitempty"` // the collaboration's group chat
	Kind    string            `json:"kind"`
	Subject string            `json:"subject,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	At      time.Time         `json:"at"`

	// A reply (Kind KindReply) carries what the engine answered an inbound
	// event, already in the speaker's words, recorded in the event's own
	// transaction so that a crash after the commit cannot lose it.
	Replies []Reply `json:"replies,omitempty"`
	// Channel is where a reply goes, with its platform ("slack:D0ALICE").
	Channel string `json:"channel,omitempty"`
	// Handle is the adapter's Message.ReplyTo: how to answer there.
	Handle string `json:"handle,omitempty"`
}

// KindReply is the kind of a notice that is a reply to an inbound event.
const KindReply = "reply"

// ReplyNotice is the outbox row of an event's replies. Its key is the
// event's, so a transaction retried after a conflict, or an event
// redelivered, never records its replies twice. A direct message's
// answer is addressed as the person's DMs are ("slack:@U0AMY"), so that
// it shares their rate limits and holds with the notices to that person.
func ReplyNotice(event string, m Message, replies []Reply, at time.Time) Notice {
	where := m.Channel
	if m.Direct && m.From.ID != "" {
		where = "@" + m.From.ID
	}
	return Notice{Key: "reply/" + event, Kind: KindReply, Replies: replies,
		Channel: string(m.Platform) + ":" + where, Handle: m.ReplyTo, At: at}
}

// Recipient describes where a notice goes, for keys and logs.
func (n Notice) Recipient() string {
	if n.ToGroup {
		return "group"
	}
	return "@" + string(n.To)
}

// changes are what one action did, waiting for the store to commit them
// together with the collaboration.
type changes struct {
	timeline []TimelineEntry
	notices  []Notice
	progress []ProgressUpdate
}

func (c *Collaboration) record(now time.Time, actor PersonID, action, subject, note string) {
	c.pending.timeline = append(c.pending.timeline, TimelineEntry{
		Collab: c.ID, At: now, Actor: actor, Action: action, Subject: subject, Note: note,
	})
}

// notify queues a notice from the person acting ("" for the bot itself)
// to each of to, except that person: nobody is told of their own action,
// the reply already said it. The key combines the collaboration, the
// version this change will commit as and what happened to whom, so the
// same change can never enqueue the same notice twice, and a later change
// (a second decline after a re-ask) gets notices of its own.
func (c *Collaboration) notify(now time.Time, actor PersonID, kind, subject string, params map[string]string, to ...PersonID) {
	seen := map[PersonID]bool{actor: true}
	for _, p := range to {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		n := Notice{Collab: c.ID, To: p, Kind: kind, Subject: subject, Params: params, At: now}
		n.Key = fmt.Sprintf("%s/v%d/%s/%s/%s", c.ID, c.Version+1, kind, subject, n.Recipient())
		c.pending.notices = append(c.pending.notices, n)
	}
}

func (c *Collaboration) notifyGroup(now time.Time, kind, subject string, params map[string]string) {
	n := Notice{Collab: c.ID, ToGroup: true, Kind: kind, Subject: subject, Params: params, At: now}
	n.Key = fmt.Sprintf("%s/v%d/%s/%s/group", c.ID, c.Version+1, kind, subject)
	c.pending.notices = append(c.pending.notices, n)
}

// Pending returns what the actions since the last save recorded: timeline
// entries, notices and progress updates. The store commits them with the
// collaboration and then calls Committed.
func (c *Collaboration) Pending() (timeline []TimelineEntry, notices []Notice, progress []ProgressUpdate) {
	return c.pending.timeline, c.pending.notices, c.pending.progress
}

// Committed tells the collaboration its pending changes are stored.
func (c *Collaboration) Committed(version int) {
	c.Version = version
	c.pending = changes{}
}

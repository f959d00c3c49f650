package bot

import "time"

// Message is one thing a person said or clicked, as every adapter hands it
// to the engine: platform details translated away.
type Message struct {
	Workspace Workspace
	Platform  Platform
	// EventID is the platform's unique id of the event ("Ev0123",
	// a DingTalk msgId); a redelivered event carries the same one.
	EventID string
	// Channel is where it was said ("C0123" or a DingTalk conversation id);
	// Direct is true for a 1:1 chat with the bot.
	Channel string
	Direct  bool
	From    Identity // the speaker's platform account
	Name    string   // the speaker's display name, for first contact
	Text    string   // with the bot's own @-mention removed
	// Mentions are the accounts @-mentioned in Text, in order.
	Mentions []Identity
	// Action is set when a button was clicked instead of text typed.
	Action *Action
	At     time.Time
	// Attachments are the files shared with the message, as references
	// the adapter made of them (a Slack permalink, a DingTalk download
	// link, a path typed in the terminal).
	Attachments []Attachment
	// ReplyTo is the adapter's handle for answering this message where it
	// was said (a thread, an ephemeral answer), opaque to the core. When it
	// is set and the event has an id, the engine records its replies in
	// the outbox in the event's transaction, for the dispatcher to deliver
	// through the adapter's Send, and Handle returns an empty, non-nil
	// slice: the answer survives a crash after the commit and is paced
	// with every other post. Without it, the replies are returned.
	ReplyTo string
}

// Action is a button click: the action id and the value the button carried
// ("ack_accept" with "COL-3/研发部").
type Action struct {
	ID    string
	Value string
}

// Reply is what the engine answers, platform-neutral: each adapter renders
// it as Block Kit, a DingTalk markdown/ActionCard or terminal text.
type Reply struct {
	Title   string
	Body    string // Markdown: **bold**, lists, line breaks; nothing else is assumed
	Fields  []Field
	Buttons []Button
	// Private asks the adapter to show it to the speaker only where the
	// platform can (a Slack ephemeral message); elsewhere it is a reply.
	Private bool
	// File, when set, is a document the reply carries (an exported record).
	// A platform that takes files posts it with Title as its comment; any
	// other shows Body, which says the same in Markdown.
	File *File
	// Refusal is the refusal this reply words, when it is one: its code,
	// field and catalogue key for programs (a modal puts it under the
	// field at fault). It stays in memory; the outbox keeps the words.
	Refusal *Error `json:"-"`
}

// File is a document to hand over as an attachment.
type File struct {
	Name string // "COL-3.md"
	MIME string // "text/markdown", "text/csv", "application/json"
	Data []byte
}

// Field is a label and a value shown side by side (a card's fields).
type Field struct {
	Label string
	Value string
}

// Button is a clickable choice. Clicking it comes back as a Message with
// Action{ID, Value}; typing Command does the same where there are no buttons.
type Button struct {
	Label   string
	Action  string
	Value   string
	Command string
	Style   string // "primary", "danger" or ""
}

// Notification is an outbox notice rendered for its recipient: a person's
// direct message, or the collaboration's group when To is empty.
type Notification struct {
	ID int64    // the outbox row, for acknowledging delivery
	To PersonID // empty for the group
	// Accounts are the recipient's platform accounts, so each adapter can
	// address them and the dispatcher can pick a platform that reaches them.
	Accounts []Identity
	Group    string // "slack:C0123": where the collaboration is discussed
	Lang     Lang
	Kind     string
	Collab   CollabID
	Subject  string
	Reply    Reply
	// NotBefore, when set, is when the recipient's quiet hours end: the
	// notification waits until then.
	NotBefore time.Time
	// Key identifies the outbox row across workspaces (the workspace, a
	// slash, the notice's key). An adapter that can find its own messages
	// again tags each post with it, so that a send whose outcome a crash
	// hid is looked up before it is repeated.
	Key string
	// Replies and Handle are set for a reply (Kind KindReply): every
	// answer to the event, in order (Reply is the first), and the
	// adapter's Message.ReplyTo.
	Replies []Reply
	Handle  string
	// Home is set for a home refresh (Kind KindHome): the page to publish,
	// read when the notice is sent.
	Home *Home
}

// Queued is a notice waiting in the outbox of some workspace.
type Queued struct {
	ID        int64
	Workspace Workspace
	Notice    Notice
	Attempts  int
}
